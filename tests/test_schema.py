"""schema.json is the one declaration of every table: columns, keys, sort order, diff rules.

Shown two ways: the code holds no second list of a table's columns, statuses or tables; and a table
added to schema.json alone is written by extract, published by the dataset and compared by the diff.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, read_rows

from pipeline import schema
from pipeline.editions import EDITION_YEAR
from pipeline.errors import HakushoError

PIPELINE = ROOT / "pipeline"


def _string_lists(path: Path):
    """Every list, tuple or set literal of three or more strings in a module, with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.List | ast.Tuple | ast.Set) and len(node.elts) >= 3:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts):
                yield node.lineno, values


def _declared_elsewhere(package: Path = PIPELINE) -> list[str]:
    tables = schema.load().tables.values()
    vocabularies = [set(f.values) for t in tables for f in t.fields if len(f.values) >= 3]
    names = set(schema.load().tables)
    found = []
    for path in sorted(package.rglob("*.py")):
        for line, values in _string_lists(path):
            where = f"{path.relative_to(package.parent)}:{line}: {values}"
            if any(set(values) <= set(t.columns) for t in tables):
                found.append(f"{where} are columns of a table")
            if any(set(values) <= vocabulary for vocabulary in vocabularies):
                found.append(f"{where} are values of a schema vocabulary")
            if set(values) <= names:
                found.append(f"{where} are table names")
    return found


def test_no_table_column_or_vocabulary_is_listed_again_in_the_code():
    assert _declared_elsewhere() == []


def test_the_scan_finds_a_second_declaration(tmp_path):
    """The scan above can fail: a module listing a table's columns or statuses again is found."""
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "bad.py").write_text('COLUMNS = ["edition", "abbr", "term", "expansion"]\n')
    (tmp_path / "pipeline" / "worse.py").write_text('ORDER = ("negotiating", "agreed", "signed")\n')
    found = _declared_elsewhere(tmp_path / "pipeline")
    assert len(found) == 2 and "columns of a table" in found[0] and "vocabulary" in found[1]


def test_edition_fields_follow_the_one_edition_year_pattern():
    patterns = {
        (table.name, field.name): field.descriptor["constraints"]["pattern"]
        for table in schema.load().tables.values()
        for field in table.fields
        if field.name.endswith("edition") or field.name.startswith("first_")
    }
    assert len(patterns) > 10
    assert set(patterns.values()) <= {f"^{EDITION_YEAR}$".replace("(?:", "("), f"^{EDITION_YEAR}?$".replace("(?:", "(")}


def test_the_status_order_is_the_enum_order():
    from pipeline.diff import timeline

    assert timeline.statuses() == ("negotiating", "agreed", "signed", "concluded", "in_force", "other")
    assert schema.table("agreement_timeline").columns[-6:] == [f"first_{s}" for s in timeline.statuses()]


def test_the_partner_key_is_declared_once():
    assert schema.partner({"iso3": "GBR", "country": "英国"}) == "GBR"
    assert schema.partner({"iso3": "", "country": "NATO"}) == "NATO"
    assert schema.table("agreements").frictionless()["primaryKey"] == ["edition", "agreement", "iso3", "country"]


# --- declaring a table wrongly is a one-line error --------------------------------------------------------------

BAD_DECLARATIONS = (
    (lambda t: t.update(madeBy="layout"), "madeBy is 'layout', not one of extract, dataset, diff"),
    (lambda t: t.update(primaryKey=["edition", "nam"]), "primaryKey names nam, which is not a field"),
    (lambda t: t.update(sortKey=["partner"]), "sortKey names partner, which is not a field"),
    (lambda t: t["fields"].append(dict(t["fields"][0])), "a field is declared twice"),
    (lambda t: t["fields"][1].update(type="boolean"), "field name: type must be string, integer or number"),
    (
        lambda t: t["diff"]["comparisons"][0].update(largest=3),
        "diff comparison 1: largest needs a positive integer and exactly one numeric field",
    ),
    (lambda t: t["diff"]["comparisons"][0].update(shows="colour"), "diff comparison 1 shows names colour"),
    (lambda t: t["diff"].update(order=1), "diff order 1 is an earlier table's too"),
    (lambda t: t.pop("description"), "no description"),
    (lambda t: t.update(rowId=["edition", "nam"]), "rowId names nam, which is not a field of the table"),
    (lambda t: t.update(rowId=["{old}", "name"]), "rowId names {old}, which is not a field of the table"),
    (lambda t: t.update(actions=["delete"]), "actions names delete, which is not one of accept, reject, correct, add"),
    (lambda t: t.update(rowId=["name", "edition"], actions=["accept"]), "a table with actions needs edition"),
    (lambda t: t["fields"].append({"name": "row_id", "type": "string"}), "field row_id is a row field (rowFields)"),
)


@pytest.mark.parametrize(("edit", "message"), BAD_DECLARATIONS)
def test_a_wrong_declaration_is_named(tmp_path, monkeypatch, edit, message):
    document = _with_exercises()
    edit(document["tables"]["exercises"])
    _use(tmp_path, monkeypatch, document)
    with pytest.raises(HakushoError, match=rf"schema.json: table exercises: {re.escape(message)}"):
        schema.load()


# --- a table added to schema.json alone ----------------------------------------------------------------------

EXERCISES = {
    "title": "Joint exercises",
    "description": "One row per joint exercise and partner named in an edition.",
    "madeBy": "extract",
    "fields": [
        {"name": "edition", "type": "string", "description": "Edition year.", "constraints": {"required": True}},
        {"name": "name", "type": "string", "description": "The exercise.", "constraints": {"required": True}},
        {"name": "country", "type": "string", "description": "The partner.", "constraints": {"required": True}},
        {"name": "iso3", "type": "string", "description": "Its ISO3 code."},
        {"name": "scale", "type": "string", "description": "How large.", "constraints": {"enum": ["small", "large"]}},
        {"name": "file", "type": "string", "description": "PDF file.", "constraints": {"required": True}},
        {"name": "page", "type": "integer", "description": "PDF page.", "constraints": {"required": True}},
        {"name": "printed_page", "type": "string", "description": "Printed page."},
    ],
    "primaryKey": ["edition", "name", "partner"],
    "sortKey": ["edition", "name", "iso3", "country", "page"],
    "diff": {"order": 9, "comparisons": [{"key": ["name", "partner"], "fields": ["scale"], "shows": "scale"}]},
}
ROWS = {
    "2024": [["マラバール", "インド", "IND", "small"], ["マラバール", "豪州", "AUS", "small"]],
    "2025": [["マラバール", "インド", "IND", "large"], ["マラバール", "オーストラリア", "AUS", "small"]],
}


def _with_exercises() -> dict:
    document = json.loads(schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    document["tables"]["exercises"] = json.loads(json.dumps(EXERCISES))
    return document


def _use(tmp_path, monkeypatch, document: dict) -> None:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_PATH", path)
    schema.load.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_schema():
    schema.load.cache_clear()
    yield
    schema.load.cache_clear()


def _build(root: Path) -> Path:
    """Two editions laid out by hand (one body paragraph each), extracted by the extract stage."""
    from pipeline.extract import extract_edition

    build = root / "build"
    for year in ROWS:
        folder = build / year
        folder.mkdir(parents=True)
        layout = {
            "edition": year,
            "title": "",
            "pages": 1,
            "layout_version": "t",
            "files": [{"name": "a.pdf", "sha256": "0"}],
        }
        (folder / "layout.json").write_text(json.dumps(layout), encoding="utf-8")
        block = {
            "edition": year, "file": "a.pdf", "page": 1, "printed_page": "", "kind": "body", "label": "", "title": "",
            "level": 0, "column": 1, "bbox": [0, 0, 1, 1], "font_size": 9.0, "text": "日米の共同訓練を行った。",
            "footnote_marks": [], "ruby": [], "title_ruby": [],
            "parts": [{"page": 1, "column": 1, "bbox": [0, 0, 1, 1]}],
        }  # fmt: skip
        (folder / "blocks.jsonl").write_text(json.dumps(block, ensure_ascii=False) + "\n", encoding="utf-8")
        page = {"file": "a.pdf", "page": 1, "status": "ok", "reason": "", "glyphs": 12, "garbled": 0}
        (folder / "pages.jsonl").write_text(json.dumps(page) + "\n", encoding="utf-8")
        assert extract_edition(folder).run
    return build


def test_a_table_added_to_the_schema_alone_is_extracted_published_and_compared(tmp_path, monkeypatch):
    from pipeline.dataset import build_dataset
    from pipeline.diff import diff_editions

    _use(tmp_path, monkeypatch, _with_exercises())
    build = _build(tmp_path)

    # extract writes it, with the schema's columns (empty: no rule fills it yet)
    written = (build / "2025" / "tables" / "exercises.csv").read_text(encoding="utf-8")
    assert written == ",".join(f["name"] for f in EXERCISES["fields"]) + "\n"
    for year, rows in ROWS.items():  # as a rule calling tables.add("exercises", ...) would
        with open(build / year / "tables" / "exercises.csv", "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([[year, *row, "a.pdf", "3", ""] for row in rows])

    output = tmp_path / "output"
    build_dataset(build, output, quiet=True)
    assert (output / "exercises.csv").is_file() and (output / "exercises.parquet").is_file()
    package = json.loads((output / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "exercises")
    assert resource["schema"]["primaryKey"] == ["edition", "name", "iso3", "country"]
    editions = read_rows(output / "editions.csv")
    assert [row["rows_exercises"] for row in editions] == ["2", "2"]

    diff_editions(output)
    changes = read_rows(output / "diff" / "2024-2025" / "changes.csv")
    ours = [(c["table"], c["key"], c["field"], c["before"], c["after"], c["change"]) for c in changes]
    assert ours == [
        ("exercises", "マラバール / IND", "scale", "small", "large", "changed")
    ]  # 豪州 → オーストラリア: same AUS
    report = (output / "diff" / "2024-2025" / "report.md").read_text(encoding="utf-8")
    assert "## Joint exercises\n\n### Changed\n\n- **マラバール / IND**: scale small → large" in report
    assert "| exercises | 0 | 0 | 1 | 1 |" in report
    package = json.loads((output / "datapackage.json").read_text(encoding="utf-8"))
    assert "changes-2024-2025" in [r["name"] for r in package["resources"]]
