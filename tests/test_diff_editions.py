"""End to end: two small editions built for the diff (tests/fixtures/pdf/diff-editions, made by make_pdfs.py)
go through ``hakusho run``; the diff must report exactly the differences the generator put in them.

The 2025 edition is the real 2025 passage; the 2024 edition differs from it only in: the RAA partner list
(英国 signed, not yet concluded; no フィリピン), the ACSA definition (without 「、大規模災害対応活動」), the
as-of month of every partner list (2024年4月) and one more KEY WORD box (情報保護協定). expected.json
("diff-editions") lists the changes these must give.
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURE_PDFS, files_in, run_args

from pipeline import schema
from pipeline.cli import main
from pipeline.diff.compare import change_kinds

SOURCES = FIXTURE_PDFS / "diff-editions"
PAIR = "2024-2025"
EXPECTED = json.loads((FIXTURE_PDFS / "expected.json").read_text(encoding="utf-8"))["diff-editions"]
COMPARED_FIELDS = ("table", "key", "field", "before", "after", "change")
CHANGE_COLUMNS = schema.table("changes").columns
CHANGE_KINDS = change_kinds()
COMPARED = [table.name for table in schema.load().compared()]


def run_pipeline(root: Path) -> Path:
    assert main(run_args(SOURCES, root / "build", root / "out")) == 0
    return root / "out"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    """Two independent runs (fresh build and output folders each)."""
    return run_pipeline(tmp_path_factory.mktemp("first")), run_pipeline(tmp_path_factory.mktemp("second"))


@pytest.fixture(scope="module")
def out(runs) -> Path:
    return runs[0]


def read_changes(out: Path) -> list[dict]:
    with open(out / "diff" / PAIR / "changes.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CHANGE_COLUMNS
        return list(reader)


class Report(HTMLParser):
    """What the test needs from report.html: the summary table, <li> entries with their links, <del>/<ins>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.paragraphs: list[str] = []
        self.items: list[dict] = []  # {"text", "hrefs", "ins", "del"}
        self.ins: list[str] = []
        self.dels: list[str] = []
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._para: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self._stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "p":
            self._para = []
        elif tag == "li":
            self.items.append({"text": "", "hrefs": [], "ins": [], "del": []})
        elif tag == "a" and "li" in self._stack:
            self.items[-1]["hrefs"].append(dict(attrs).get("href", ""))
        elif tag in ("ins", "del"):
            (self.ins if tag == "ins" else self.dels).append("")
            if "li" in self._stack:
                self.items[-1][tag].append("")

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "p" and self._para is not None:
            self.paragraphs.append("".join(self._para))
            self._para = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._para is not None:
            self._para.append(data)
        if "li" in self._stack:
            self.items[-1]["text"] += data
        for tag, found in (("ins", self.ins), ("del", self.dels)):
            if tag in self._stack:
                found[-1] += data
                if "li" in self._stack:
                    self.items[-1][tag][-1] += data


@pytest.fixture(scope="module")
def report(out) -> Report:
    parser = Report()
    parser.feed((out / "diff" / PAIR / "report.html").read_text(encoding="utf-8"))
    parser.close()
    return parser


def box_pages(year: str) -> dict[str, tuple[int, int]]:
    """Term of each KEY WORD box of an edition → (physical page, printed page)."""
    edition = EXPECTED["editions"][year]
    printed = {page["physical_page"]: page["printed_page"] for page in edition["pages"]}
    return {box["title"].split(" (")[0]: (box["page"], printed[box["page"]]) for box in edition["boxes"]}


def test_changes_are_exactly_the_differences_between_the_editions(out):
    got = [tuple(row[name] for name in COMPARED_FIELDS) for row in read_changes(out)]
    expected = [tuple(change[name] for name in COMPARED_FIELDS) for change in EXPECTED["changes"]]
    assert len(got) == len(set(got)), "a change is reported twice"
    assert set(got) == set(expected)


def test_changes_name_the_file_and_page_of_each_side(out):
    pages = {"old": box_pages("2024"), "new": box_pages("2025")}
    for side, year in (("old", "2024"), ("new", "2025")):  # a party's share: where it is first named (page 1)
        pages[side]["フィリピン"] = (1, EXPECTED["editions"][year]["pages"][0]["printed_page"])
    for row in read_changes(out):
        term = row["key"].split(" / ")[0]
        for side, year in (("old", "2024"), ("new", "2025")):
            absent = (row["change"] == "added" and side == "old") or (row["change"] == "removed" and side == "new")
            if absent:
                assert (row[f"{side}_edition"], row[f"{side}_file"], row[f"{side}_page"]) == ("", "", ""), row
                continue
            page, printed = pages[side][term]
            assert row[f"{side}_edition"] == year
            assert row[f"{side}_file"] == f"diff-{year}.pdf"
            assert (row[f"{side}_page"], row[f"{side}_printed_page"]) == (str(page), str(printed)), row


def test_report_summary_counts(report):
    changes = EXPECTED["changes"]
    assert f"{len(changes)} change(s) between the 2024 and 2025 editions." in report.paragraphs
    summary = report.tables[0]
    assert summary[0] == ["Table", *CHANGE_KINDS, "total"]
    expected_rows = []
    for table in COMPARED:
        counts = [sum(1 for c in changes if c["table"] == table and c["change"] == kind) for kind in CHANGE_KINDS]
        expected_rows.append([table, *map(str, counts), str(sum(counts))])
    totals = [sum(int(row[i]) for row in expected_rows) for i in range(1, 5)]
    expected_rows.append(["all", *map(str, totals)])
    assert summary[1:] == expected_rows
    assert totals == [1, 1, 6, 8]  # added PHL; dropped 情報保護協定; GBR, three as-of, the ACSA definition, PHL's share


def test_report_acsa_definition_diff_is_one_insertion(report):
    """Robust part: one inserted run of the right length, nothing deleted, and both texts come back out."""
    (acsa,) = [c for c in EXPECTED["changes"] if c["table"] == "keywords" and c["change"] == "changed"]
    inserted = EXPECTED["inserted_in_acsa_definition"]
    assert report.dels == []
    (item,) = [item for item in report.items if item["ins"]]
    assert item["text"].startswith(f"{acsa['key']}: ")
    assert len(item["ins"]) == 1 and len(item["ins"][0]) == len(inserted)
    shown = item["text"].removeprefix(f"{acsa['key']}: ")
    assert shown.startswith(acsa["after"])  # the new text, inserted run included
    assert shown.replace(item["ins"][0], "", 1).startswith(acsa["before"])


def test_report_acsa_definition_insertion_is_the_inserted_clause(report):
    assert report.ins == [EXPECTED["inserted_in_acsa_definition"]]


def test_every_report_entry_links_to_its_page(report):
    entries = report.items
    assert len(entries) == len(EXPECTED["changes"])  # no review items: every <li> is a change
    for item in entries:
        assert item["hrefs"], item["text"]
        for href in item["hrefs"]:
            assert "#page=" in href and href.split("#page=")[0] in ("diff-2024.pdf", "diff-2025.pdf"), href


def test_a_second_run_gives_byte_identical_output(runs):
    first, second = files_in(runs[0]), files_in(runs[1])
    assert sorted(first) == sorted(second)
    assert f"diff/{PAIR}/changes.csv" in first and f"diff/{PAIR}/report.html" in first
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_every_table_in_output_is_in_the_datapackage_and_valid(out):
    """The diff's tables too (changes of each pair, the timeline), each with the SHA-256 of its file."""
    from frictionless import validate

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    described = {resource["path"] for resource in package["resources"]}
    csvs = {p.relative_to(out).as_posix() for p in out.rglob("*.csv")}
    assert described == csvs
    assert {"agreement_timeline.csv", f"diff/{PAIR}/changes.csv"} <= described
    assert validate(out / "datapackage.json").valid


def test_a_file_changed_after_publication_fails_the_datapackage_check(out, tmp_path):
    """What a reader can trust: datapackage.json names each table's SHA-256, and frictionless checks it."""
    import shutil

    from frictionless import validate

    out = shutil.copytree(out, tmp_path / "copy")
    changes = out / "diff" / PAIR / "changes.csv"
    changes.write_text(changes.read_text(encoding="utf-8").replace("concluded", "signed"), encoding="utf-8")
    report = validate(out / "datapackage.json")
    assert not report.valid
    assert any("hash" in error.type for task in report.tasks for error in task.errors)
