"""Publishing into OUTPUT as a whole (pipeline/publish.py): the previous files or the new ones, never a mix."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import copy_sample, files_in, run_args

from pipeline import publish
from pipeline.cli import main
from pipeline.publish import JOURNAL, STAGING_PREFIX, Batch, recover

OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n", "diff/2016-2017/report.md": b"old report\n"}
NEW = {"a.csv": b"new a\n", "b.csv": b"new b\n", "c.csv": b"new c\n"}


def _tree(folder):
    """Every file in ``folder`` but the staging folder's (the journal and the stages' record included)."""
    return {name: data for name, data in files_in(folder).items() if not name.startswith(STAGING_PREFIX)}


def _output(tmp_path):
    output = tmp_path / "output"
    for name, data in OLD.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
    (output / "notes.txt").write_bytes(b"the user's")
    return output


def _stage(batch):
    for name, data in NEW.items():
        batch.write_bytes(name, data)
    batch.remove("diff/2016-2017/report.md")


EXPECTED_NEW = {**NEW, "notes.txt": b"the user's"}
EXPECTED_OLD = {**OLD, "notes.txt": b"the user's"}


def test_a_commit_publishes_every_file_and_leaves_nothing_behind(tmp_path):
    output = _output(tmp_path)
    with Batch(output) as batch:
        _stage(batch)
        assert _tree(output) == EXPECTED_OLD, "nothing in OUTPUT changes before the commit"
        assert batch.path("c.csv").read_bytes() == b"new c\n" and batch.path("notes.txt") == output / "notes.txt"
        batch.commit()
    assert _tree(output) == EXPECTED_NEW
    assert sorted(p.name for p in output.iterdir()) == ["a.csv", "b.csv", "c.csv", "notes.txt"]  # no diff/, no journal


def test_an_error_before_the_commit_leaves_output_as_it_was(tmp_path):
    output = _output(tmp_path)
    with pytest.raises(ValueError), Batch(output) as batch:
        _stage(batch)
        raise ValueError("a table failed validation")
    assert _tree(output) == EXPECTED_OLD
    assert not [p for p in output.iterdir() if p.name.startswith(".")]


class _HardStop(BaseException):
    """Stands for the process dying (power loss, kill -9): nothing runs after it."""


def _hard_stop():
    raise _HardStop


def _ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)


def _on_rename(monkeypatch, number: int, action) -> list:
    """Make ``action`` happen just before the publication's ``number``-th rename; the renames done are listed."""
    done = []

    def move(source, target):
        if len(done) + 1 == number:
            action()
        os.replace(source, target)
        done.append(target)

    monkeypatch.setattr(publish, "_move", move)
    return done


def test_a_hard_stop_between_two_renames_is_finished_by_the_next_run(tmp_path, monkeypatch):
    output = _output(tmp_path)
    _on_rename(monkeypatch, 3, _hard_stop)
    batch = Batch(output)
    _stage(batch)
    with pytest.raises(_HardStop):
        batch.commit()
    monkeypatch.undo()
    mixed = _tree(output)
    assert mixed["a.csv"] == b"new a\n" and mixed["diff/2016-2017/report.md"] == b"old report\n"  # a mix, for now
    assert JOURNAL in mixed
    recover(output)  # what the next stage does first
    assert _tree(output) == EXPECTED_NEW


def test_ctrl_c_during_the_renames_takes_effect_after_the_last(tmp_path, monkeypatch):
    output = _output(tmp_path)
    done = _on_rename(monkeypatch, 1, _ctrl_c)  # pressed while the batch is being renamed
    with pytest.raises(KeyboardInterrupt), Batch(output) as batch:
        _stage(batch)
        batch.commit()
    assert len(done) == 3 and _tree(output) == EXPECTED_NEW


# --- the whole run: OUTPUT is the previous dataset or the new one -------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Sources of two editions, then three (different outputs); the reference output of each, made in full."""
    root = tmp_path_factory.mktemp("publish")
    sources = {}
    for name, years in (("two", ("2016", "2017")), ("three", ("2016", "2017", "2019"))):
        for year in years:
            copy_sample(root / name, year)
        sources[name] = root / name
    reference = {}
    for name, folder in sources.items():
        assert main(run_args(folder, root / f"build-{name}", root / f"out-{name}")) == 0
        reference[name] = _tree(root / f"out-{name}")
    assert reference["two"] != reference["three"]
    return root, sources, reference


def _renames(runs, tmp_path, monkeypatch) -> int:
    """How many files a run from two editions to three renames into place (datapackage.json is the last)."""
    _, sources, _ = runs
    build, output = tmp_path / "count-build", tmp_path / "count-output"
    assert main(run_args(sources["two"], build, output)) == 0
    done = _on_rename(monkeypatch, 0, lambda: None)
    assert main(run_args(sources["three"], build, output)) == 0
    monkeypatch.undo()
    assert done[-1].name == "datapackage.json"
    return len(done)


@pytest.mark.slow
@pytest.mark.parametrize("press_at", ["first", "last"])
def test_ctrl_c_while_publishing_leaves_the_new_dataset_whole(runs, tmp_path, monkeypatch, press_at):
    root, sources, reference = runs
    total = _renames(runs, tmp_path, monkeypatch)
    build, output = tmp_path / "build", tmp_path / "output"
    assert main(run_args(sources["two"], build, output)) == 0
    done = _on_rename(monkeypatch, 1 if press_at == "first" else total, _ctrl_c)
    assert main(run_args(sources["three"], build, output)) == 130
    assert len(done) == total
    assert _tree(output) == reference["three"]


@pytest.mark.slow
@pytest.mark.parametrize("stop_at_rename", [13])
def test_a_hard_stop_while_publishing_is_repaired_by_the_next_run(runs, tmp_path, monkeypatch, stop_at_rename):
    root, sources, reference = runs
    build, output = tmp_path / "build", tmp_path / "output"
    assert main(run_args(sources["two"], build, output)) == 0
    _on_rename(monkeypatch, stop_at_rename, _hard_stop)
    with pytest.raises(_HardStop):
        main(run_args(sources["three"], build, output))
    monkeypatch.undo()
    assert _tree(output) not in (reference["two"], reference["three"])  # a mix on disk, and the journal says so
    assert (output / JOURNAL).is_file()
    assert main(["diff", "--output", str(output), "--quiet"]) == 0  # any stage finishes the publication first
    assert main(run_args(sources["three"], build, output)) == 0
    assert _tree(output) == reference["three"]
