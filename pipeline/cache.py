"""The one rule for "is this stage's output current?", for every stage (layout, extract, dataset, diff).

A stage's key is a hash of four things, and it is re-run when any of them changed since the key it
recorded with its output (or when an output is missing, or with ``--force``):

- its **inputs**: the files it reads (SHA-256), e.g. an edition's PDFs for layout, its blocks for extract;
- **the code it runs**: the stage module and every module of ``pipeline`` it imports, directly or not,
  found by reading their ``import`` statements (function-level ones included), plus the versions of the
  installed libraries those modules import (pdfminer.six, spaCy, pandas…);
- **the data files it reads**: a file of the package that is not Python (``data/agreements.csv``, a
  report template) belongs to a stage when one of its modules names it in a string literal (the call
  that reads it: ``table("agreements.csv")``), or lists it in a module-level ``DATA_FILES`` (glob
  patterns relative to the module's folder, for names the code computes);
- its **options** that change what it writes (the engine, the editions, the pairs compared), not those
  that only change how fast (``--jobs``, ``--page-timeout``).

Why derived and not declared: a hand-kept list of "what layout depends on", or a version number to
bump, goes stale the first time someone forgets it (the bug this replaced: editing a vocabulary did
not re-extract). The import graph and the literal file names are already in the code, so they cannot
disagree with it; a test checks that every data file of the package belongs to some stage. Editing a
vocabulary (``data/*.csv``) therefore re-runs extraction (the extract modules read it) but not layout
(none of its modules does), and editing ``lines.py`` re-runs layout (``layout`` imports it).

The record a stage writes keeps every part, so ``Decision.reason`` can say what changed
("pipeline/data/agreements.csv changed").
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from .files import sha256_file

PACKAGE_DIR = Path(__file__).parent
PACKAGE = PACKAGE_DIR.name
# In OUTPUT: the records of the dataset and diff stages (not a data file: how a re-run knows to skip).
OUTPUT_STAMP = ".hakusho-run.json"
PARTS = ("options", "inputs", "code", "data", "libraries")
# How many changed things a reason names before "and N more".
REASON_NAMES = 2


# --- what a module imports and names ----------------------------------------------------------------


@cache
def modules() -> dict[str, Path]:
    """Every module of the package: dotted name → file (a package by its ``__init__.py``)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


@dataclass(frozen=True)
class _Module:
    """What the cache rule reads in a module's source: its imports, its string literals, its DATA_FILES."""

    ours: frozenset[str]  # modules of the package it imports
    theirs: frozenset[str]  # top-level names of other packages it imports
    literals: frozenset[str]
    declared: tuple[str, ...]


@cache
def _read(module: str) -> _Module:
    known = modules()
    is_package = known[module].name == "__init__.py"
    ours, theirs, literals, declared = set(), set(), set(), ()
    tree = ast.parse(known[module].read_text(encoding="utf-8"))
    for node in tree.body:  # DATA_FILES = (...) at the top level
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DATA_FILES" for t in node.targets):
            declared = tuple(ast.literal_eval(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                literals.add(node.value)
            continue
        if isinstance(node, ast.Import):
            targets = [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = node.module or ""
            if node.level:  # relative: from the module's package, one level up per extra dot
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            targets = [(prefix, tuple(alias.name for alias in node.names))]
        else:
            continue
        for name, members in targets:
            if name != PACKAGE and not name.startswith(PACKAGE + "."):
                theirs.add(name.split(".")[0])
                continue
            for candidate in [name] + [f"{name}.{member}" for member in members]:
                parts = candidate.split(".")
                ours.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in known)
    ours.discard(module)
    return _Module(frozenset(ours), frozenset(theirs), frozenset(literals), declared)


def imports(module: str) -> tuple[frozenset[str], frozenset[str]]:
    """(modules of the package, top-level names of other packages) that ``module`` imports anywhere in it."""
    found = _read(module)
    return found.ours, found.theirs


def closure(module: str) -> list[str]:
    """``module`` and every package module it imports, directly or through others (sorted)."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(_read(current).ours)
    return sorted(seen)


@cache
def data_files() -> tuple[tuple[Path, str], ...]:
    """Every file of the package that is not Python code, with its path relative to the package."""
    return tuple(
        (path, path.relative_to(PACKAGE_DIR).as_posix())
        for path in sorted(PACKAGE_DIR.rglob("*"))
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def files_read(module: str) -> list[Path]:
    """The data files ``module`` reads: named in a string literal, or matched by its ``DATA_FILES``."""
    found = _read(module)
    folder = modules()[module].parent.relative_to(PACKAGE_DIR).as_posix()
    prefix = "" if folder == "." else folder + "/"
    patterns = [prefix + pattern for pattern in found.declared]
    return [
        path
        for path, relative in data_files()
        if path.name in found.literals or any(fnmatch.fnmatchcase(relative, p) for p in patterns)
    ]


def _label(path: Path) -> str:
    """``pipeline/data/agreements.csv``: a package file as a reader finds it in the repository."""
    return path.relative_to(PACKAGE_DIR.parent).as_posix()


@cache
def _distribution(name: str) -> tuple[str, str] | None:
    """(distribution, version) providing the top-level import ``name``, or None (not installed)."""
    try:
        found = metadata.distribution(name)  # most distributions are named as they are imported
        return found.metadata["Name"], found.version
    except metadata.PackageNotFoundError:
        pass
    for found in metadata.distributions():  # pdfminer (pdfminer.six), PIL (Pillow): the files say
        tops = (found.read_text("top_level.txt") or "").split()
        if not tops:
            record = found.read_text("RECORD") or ""
            tops = [line.split(",", 1)[0].split("/", 1)[0].removesuffix(".py") for line in record.splitlines()]
        if name in tops:
            return found.metadata["Name"], found.version
    return None


def _libraries(names: set[str]) -> dict[str, str]:
    """{distribution: version} of the installed packages providing the top-level imports ``names``."""
    found = (_distribution(name) for name in sorted(names - set(sys.stdlib_module_names) - {"__future__"}))
    return dict(sorted(entry for entry in found if entry))


# --- keys and decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """What a stage's output is made from; ``digest`` is the stage's key, ``version`` the part that is code."""

    stage: str
    parts: dict[str, dict[str, str]]

    @property
    def digest(self) -> str:
        return _hash(self.parts)

    @property
    def version(self) -> str:
        """The code, data files and libraries alone, as 12 hex digits (the editions table's layout_version)."""
        return _hash({part: self.parts[part] for part in ("code", "data", "libraries")})[:12]

    def record(self) -> dict:
        """What the stage writes next to its output, for the next run to compare with."""
        return {"stage": self.stage, "key": self.digest, **self.parts}


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@cache
def _code_parts(module: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    names = closure(module)
    code = {_label(modules()[name]): sha256_file(modules()[name]) for name in names}
    data = {_label(path): sha256_file(path) for name in names for path in files_read(name)}
    libraries = _libraries({other for name in names for other in imports(name)[1]})
    return code, dict(sorted(data.items())), libraries


def stage_key(stage: str, module: str, inputs: Mapping[str, str], options: Mapping[str, str]) -> Key:
    """The key of ``stage``, whose code starts at ``module``; ``inputs`` are {label: SHA-256}."""
    code, data, libraries = _code_parts(module)
    parts = {"options": dict(options), "inputs": dict(inputs), "code": dict(code), "data": dict(data)}
    parts["libraries"] = dict(libraries)
    return Key(stage, parts)


def file_inputs(files: Mapping[str, Path]) -> dict[str, str]:
    """{label: SHA-256} of ``files``; a missing file is "missing" (the stage then runs, and says so)."""
    return {label: sha256_file(path) if path.is_file() else "missing" for label, path in files.items()}


@dataclass(frozen=True)
class Decision:
    """Whether a stage runs, and why, in words for the user."""

    run: bool
    reason: str

    def line(self, what: str) -> str:
        """``extract 2025: re-run, pipeline/data/agreements.csv changed``."""
        return f"{what}: {self.reason}"


def decide(key: Key, recorded: Mapping | None, *, force: bool = False, outputs: list[Path] = ()) -> Decision:
    """Run ``key``'s stage unless ``recorded`` (what its last run left) has the same key and every output is there."""
    if force:
        return Decision(True, "re-run, --force")
    if recorded is None:
        return Decision(True, "run, no earlier result")
    if "key" not in recorded:  # written by a hakusho from before this rule
        return Decision(True, "re-run, no record of what made it")
    missing = [path for path in outputs if not path.exists()]
    if recorded["key"] == key.digest and not missing:
        return Decision(False, "skipped, nothing changed")
    changed = _changes(recorded, key.parts) if recorded["key"] != key.digest else []
    return Decision(True, "re-run, " + _listed(changed + [f"{path} is missing" for path in missing]))


def _changes(recorded: Mapping, parts: Mapping[str, Mapping[str, str]]) -> list[str]:
    """What differs between a recorded key and the new one, in words, options and inputs first."""
    found = []
    for part in PARTS:
        before, after = recorded.get(part) or {}, parts[part]
        for name in sorted(before.keys() | after.keys()):
            old, new = before.get(name), after.get(name)
            if old == new:
                continue
            if part in ("options", "libraries"):
                found.append(f"{name} {old or '(none)'} → {new or '(none)'}")
            elif old is None:
                found.append(f"{name} added")
            elif new is None:
                found.append(f"{name} removed")
            else:
                found.append(f"{name} changed")
    return found


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:REASON_NAMES])
    return shown + (f" and {len(items) - REASON_NAMES} more" if len(items) > REASON_NAMES else "")


def read_record(path: Path, *keys: str) -> dict | None:
    """The record stored at ``keys`` in the JSON file ``path``: None without the file, {} without the record."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}
