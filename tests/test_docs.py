"""The README is the user's manual: every command and option of the CLI must be documented in it."""

from __future__ import annotations

import argparse
import re

import pytest
from conftest import ROOT

from pipeline.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_is_documented(name):
    assert f"hakusho {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    sorted(
        (name, option)
        for name, sub in _subcommands().items()
        for action in sub._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ),
)
def test_every_option_is_documented(name, option):
    section = README.split(f"### `hakusho {name}`", 1)[-1].split("\n### ", 1)[0]
    assert option in section, f"{option} of `hakusho {name}` is not in its README section"


def test_make_targets_and_variables_are_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (phony,) = [line for line in makefile.splitlines() if line.startswith(".PHONY:")]
    targets = phony.split(":", 1)[1].split()
    assert "extract" in targets and "test" in targets
    for target in targets:
        assert f"make {target}" in README, target
    variables = re.findall(r"^([A-Z_]+) \?=", makefile, flags=re.MULTILINE)  # the ones a user may set
    assert {"SOURCES", "OUTPUT", "JOBS", "HAKUSHO_FLAGS"} <= set(variables)
    for variable in variables:
        assert f"| `{variable}` |" in README, variable


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and "make extract" in README
