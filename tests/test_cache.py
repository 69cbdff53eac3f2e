"""The cache rule (pipeline/cache.py): what a stage's key is made of, and why a stage runs or is skipped."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, copy_sample

from pipeline import cache

# (stage module, a module its code includes, a module it must not include): found from the imports.
CLOSURES = (
    ("pipeline.layout", "pipeline.lines", "pipeline.extract"),
    ("pipeline.layout", "pipeline.normalize", "pipeline.countries"),
    ("pipeline.layout", "pipeline.box_labels", "pipeline.nlp"),  # box labels are a vocabulary
    ("pipeline.layout", "pipeline.blocks", "pipeline.schema"),
    ("pipeline.extract", "pipeline.events", "pipeline.layout"),  # a function-level import
    ("pipeline.extract", "pipeline.acronyms", "pipeline.lines"),
    ("pipeline.extract", "pipeline.countries", "pipeline.pdfsource"),  # through partners
    ("pipeline.dataset", "pipeline.schema", "pipeline.diff"),
    ("pipeline.diff", "pipeline.diff.report", "pipeline.dataset"),
    ("pipeline.diff.compare", "pipeline.schema", "pipeline.diff.report"),
)

# (stage module, a data file it reads, a data file it does not read)
DATA = (
    ("pipeline.layout", "pipeline/data/lookalikes.tsv", "pipeline/data/agreements.csv"),
    ("pipeline.layout", "pipeline/data/box_labels.csv", "pipeline/data/statuses.csv"),
    ("pipeline.extract", "pipeline/data/box_labels.csv", "pipeline/data/lookalikes.tsv"),
    ("pipeline.extract", "pipeline/data/agreements.csv", "pipeline/data/lookalikes.tsv"),
    ("pipeline.extract", "pipeline/data/statuses.csv", "pipeline/diff/templates/report.j2"),
    ("pipeline.extract", "pipeline/data/schema.json", "pipeline/data/lookalikes.tsv"),  # its CSV writer
    ("pipeline.dataset", "pipeline/data/schema.json", "pipeline/data/agreements.csv"),
    ("pipeline.diff", "pipeline/diff/templates/sections/keywords.j2", "pipeline/data/statuses.csv"),
)


@pytest.mark.parametrize(("stage", "included", "excluded"), CLOSURES)
def test_the_code_of_a_stage_is_what_it_imports(stage, included, excluded):
    code = cache.closure(stage)
    assert stage in code and included in code
    assert excluded not in code


@pytest.mark.parametrize(("stage", "read", "not_read"), DATA)
def test_the_data_files_of_a_stage_are_those_its_modules_name(stage, read, not_read):
    key = cache.stage_key("x", stage, inputs={}, options={})
    assert read in key.parts["data"]
    assert not_read not in key.parts["data"]


def test_every_data_file_of_the_package_belongs_to_a_stage():
    """A data file no module names (read under a computed name, without DATA_FILES) would be in no key."""
    stages = ("pipeline.layout", "pipeline.extract", "pipeline.dataset", "pipeline.diff", "pipeline.fetch")
    read = {path for stage in stages for module in cache.closure(stage) for path in cache.files_read(module)}
    assert [p for p, _ in cache.data_files() if p not in read] == []


def test_libraries_imported_by_a_stage_are_in_its_key():
    layout = cache.stage_key("layout", "pipeline.layout", inputs={}, options={}).parts["libraries"]
    extract = cache.stage_key("extract", "pipeline.extract", inputs={}, options={}).parts["libraries"]
    assert "pdfminer.six" in layout and "spacy" not in layout
    assert "spacy" in extract and "pdfminer.six" not in extract


def _key(**changes):
    parts = {"options": {"engine": "pdfminer"}, "inputs": {"2025/a.pdf": "aa"}}
    parts.update(changes)
    key = cache.stage_key("layout", "pipeline.layout", inputs=parts["inputs"], options=parts["options"])
    for part in ("code", "data", "libraries"):
        if part in changes:
            key.parts[part] = changes[part]
    return key


def _edited(part: str, name: str, value: str | None) -> cache.Key:
    key = _key()
    values = dict(key.parts[part])
    if value is None:
        values.pop(name)
    else:
        values[name] = value
    return _key(**{part: values})


# (what the stage recorded last time, the new key, force, the reason given)
DECISIONS = (
    (None, _key(), False, "run, no earlier result"),
    (_key().record(), _key(), False, "skipped, nothing changed"),
    (_key().record(), _key(), True, "re-run, --force"),
    (_key().record(), _key(options={"engine": "pypdfium2"}), False, "re-run, engine pdfminer → pypdfium2"),
    (_key().record(), _key(inputs={"2025/a.pdf": "bb"}), False, "re-run, 2025/a.pdf changed"),
    (_key().record(), _key(inputs={"2025/a.pdf": "aa", "2025/b.pdf": "cc"}), False, "re-run, 2025/b.pdf added"),
    (_key().record(), _edited("code", "pipeline/lines.py", "0" * 64), False, "re-run, pipeline/lines.py changed"),
    (_key().record(), _edited("code", "pipeline/lines.py", None), False, "re-run, pipeline/lines.py removed"),
    (
        _key().record(),
        _edited("data", "pipeline/data/lookalikes.tsv", "0" * 64),
        False,
        "re-run, pipeline/data/lookalikes.tsv changed",
    ),
    (_key().record(), _edited("libraries", "newlib", "1.0"), False, "re-run, newlib (none) → 1.0"),
    (
        _key().record(),
        _key(options={"engine": "x"}, inputs={"2025/a.pdf": "b", "2025/c.pdf": "c"}),
        False,
        "re-run, engine pdfminer → x, 2025/a.pdf changed and 1 more",
    ),
    ({"layout_version": "2"}, _key(), False, "re-run, no record of what made it"),
)


@pytest.mark.parametrize(("recorded", "key", "force", "reason"), DECISIONS)
def test_a_stage_says_why_it_runs(recorded, key, force, reason):
    decision = cache.decide(key, recorded, force=force)
    assert decision.reason == reason
    assert decision.run == (not reason.startswith("skipped"))


def test_a_missing_output_makes_the_stage_run(tmp_path):
    decision = cache.decide(_key(), _key().record(), outputs=[tmp_path / "blocks.jsonl"])
    assert decision.run and decision.reason == f"re-run, {tmp_path / 'blocks.jsonl'} is missing"


def test_the_layout_version_is_the_code_alone():
    assert _key().version == _key(inputs={"2025/a.pdf": "zz"}, options={"engine": "x"}).version
    assert _key().version != _edited("code", "pipeline/lines.py", "0" * 64).version


# --- the acceptance: a copy of the repository, edited, then a plain run -------------------------------


def _copy_of_the_repository(tmp_path):
    """pipeline/ and two sample editions in a folder of their own, run with ``python -m pipeline`` there."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "pipeline", copy / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    for year in ("2016", "2017"):
        copy_sample(copy / "sources", year)
    return copy


def _run(copy):
    """A plain ``hakusho run`` in the copy; the lines it says about each stage."""
    args = [sys.executable, "-m", "pipeline", "run", "--sources", "sources", "--jobs", "1"]
    done = subprocess.run(args, cwd=copy, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return dict(line.split(": ", 1) for line in done.stderr.splitlines() if ": " in line)


def _mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_editing_a_vocabulary_re_extracts_without_reading_the_pdfs(tmp_path):
    copy = _copy_of_the_repository(tmp_path)
    first = _run(copy)
    assert first["layout 2016"] == "run, no earlier result"
    assert "情報保護協定" in (copy / "output" / "agreement_events.csv").read_text(encoding="utf-8")
    layouts = {p: t for p, t in _mtimes(copy / "build").items() if "tables" not in p.parts}

    # a domain expert gives the agreement an abbreviation (ISA) in the vocabulary
    vocabulary = copy / "pipeline" / "data" / "agreements.csv"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("\n情報保護協定,,", "\n情報保護協定,ISA,"), encoding="utf-8")
    second = _run(copy)

    assert second["layout 2016"] == second["layout 2017"] == "skipped, nothing changed"
    assert second["extract 2016"] == second["extract 2017"] == "re-run, pipeline/data/agreements.csv changed"
    assert second["dataset"].startswith("re-run, 2016/tables/agreement_events.csv changed")
    assert second["diff"].startswith("re-run, agreement_events.csv changed")
    assert {p: t for p, t in _mtimes(copy / "build").items() if "tables" not in p.parts} == layouts  # PDFs not read
    assert "情報保護協定,ISA," in (copy / "output" / "agreement_events.csv").read_text(encoding="utf-8")
    assert set(_run(copy).values()) == {"skipped, nothing changed"}


@pytest.mark.slow
def test_editing_layout_code_re_runs_layout(tmp_path):
    copy = _copy_of_the_repository(tmp_path)
    _run(copy)
    tables = _mtimes(copy / "build" / "2016" / "tables")
    blocks = (copy / "build" / "2016" / "blocks.jsonl").read_bytes()

    lines = copy / "pipeline" / "lines.py"  # imported by layout.py, not by extract.py
    lines.write_text(lines.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    second = _run(copy)

    assert second["layout 2016"] == second["layout 2017"] == "re-run, pipeline/lines.py changed"
    assert second["extract 2016"] == "skipped, nothing changed"  # the same blocks: nothing to re-extract
    assert _mtimes(copy / "build" / "2016" / "tables") == tables
    assert (copy / "build" / "2016" / "blocks.jsonl").read_bytes() == blocks
    assert second["dataset"].startswith("re-run, 2016/layout.json changed")  # editions.csv: the new layout_version
