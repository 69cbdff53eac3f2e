"""Tests for pipeline.diff: changes between editions, the reports, the timeline and the chart."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows

from pipeline import rowids, schema
from pipeline.diff import diff_editions
from pipeline.errors import HakushoError

CHANGE_COLUMNS = schema.table("changes").columns
ACSA = {"agreement": "物品役務相互提供協定", "abbr": "ACSA", "party_type": "state"}
GBR = {"country": "英国", "iso3": "GBR", "cow": "200"}
AUS = {"country": "豪州", "iso3": "AUS", "cow": "900"}
IND = {"country": "インド", "iso3": "IND", "cow": "750"}
COUNTER = "反撃能力"
IAMD = "統合防空ミサイル防衛"

# Edition 2024 → 2025: (a) GBR signed → concluded, (b) IND added, (c) a definition reworded (豪州 → 英国),
# (d) a keyword dropped; everything else only moves page or section, which is not a change.
OLD = {
    "agreements": [
        ACSA | GBR | {"status": "signed", "page": "300"},
        ACSA | AUS | {"status": "in_force", "page": "300"},
    ],
    "agreement_events": [ACSA | AUS | {"event": "in_force", "date": "2013-01", "page": "301"}],
    "keywords": [
        {"term": COUNTER, "definition": "日本と豪州の間の協定に基づく能力。", "section": "第I部", "page": "12"},
        {"term": IAMD, "abbr": "IAMD", "definition": "各種アセットを統合する。", "page": "40"},
    ],
    "acronyms": [{"abbr": "SDF", "term": "自衛隊", "expansion": "Self-Defense Forces", "page": "500"}],
    "review": [{"table": "agreements", "reason": "no status", "text": "古い項目。", "page": "9"}],
}
NEW = {
    "agreements": [
        ACSA | GBR | {"status": "concluded", "page": "310", "printed_page": "141"},
        ACSA | AUS | {"status": "in_force", "page": "311"},
        ACSA | IND | {"status": "signed", "page": "311"},
    ],
    "agreement_events": [ACSA | AUS | {"event": "in_force", "date": "2013-01", "page": "320"}],
    "keywords": [
        {"term": COUNTER, "definition": "日本と英国の間の協定に基づく能力。", "section": "第II部", "page": "15"}
    ],
    "acronyms": [{"abbr": "SDF", "term": "自衛隊", "expansion": "Self-Defense Forces", "page": "510"}],
    "review": [{"table": "keywords", "reason": "definition cut at page end", "text": "新しい項目。", "page": "77"}],
}


def write_csv(path: Path, names: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({name: "" for name in names} | row for row in rows)


def make_output(root: Path, editions: dict[str, dict[str, list[dict]]], decided: list[dict] = ()) -> Path:
    """A published dataset (only the CSVs diff reads) with the given rows per edition, with their row ids,
    and the given rows of the decisions table."""
    output = root / "output"
    for table in (t.name for t in schema.load().made_by("extract")):
        rows = [
            {"edition": year, "file": f"R{int(year) - 2018:02d}zenpen.pdf"} | row
            for year, tables in editions.items()
            for row in tables.get(table, [])
        ]
        write_csv(output / f"{table}.csv", schema.table(table).columns, with_ids(table, rows))
    years = [{"edition": year, "title": f"令和{int(year) - 2018}年版", "pages": "550"} for year in editions]
    write_csv(output / "editions.csv", schema.table("editions").columns, with_ids("editions", years))
    write_csv(output / "decisions.csv", schema.table("decisions").columns, list(decided))
    return output


def with_ids(table: str, rows: list[dict]) -> list[dict]:
    spec = schema.table(table)
    filled = [{name: "" for name in spec.made_columns} | row for row in rows]
    return [row | {"row_id": row_id} for row, row_id in zip(filled, rowids.ids(spec, filled), strict=True)]


class ReportParser(HTMLParser):
    """Collects the text, the <del>/<ins> contents, the links and the images of a report."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.marked: dict[str, list[str]] = {"del": [], "ins": []}
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.marked:
            self.marked[tag].append("")
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs["src"])
        if tag not in ("img", "meta"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)
        for tag in self.marked:
            if tag in self.stack:
                self.marked[tag][-1] += data


def parse(path: Path) -> ReportParser:
    parser = ReportParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert parser.stack == []
    return parser


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> tuple[Path, list[Path]]:
    output = make_output(tmp_path_factory.mktemp("diff"), {"2024": OLD, "2025": NEW})
    return output, diff_editions(output)


def test_files_written(two):
    output, paths = two
    pair = output / "diff" / "2024-2025"
    assert paths == [
        output / "agreement_timeline.csv", output / "agreement_timeline.parquet",
        output / "diff" / "partners_by_edition.png", output / "diff" / "partners_by_edition.svg",
        output / "mention_shares.csv", output / "mention_shares.parquet",
        output / "diff" / "mention_shares_by_edition.png", output / "diff" / "mention_shares_by_edition.svg",
        pair / "changes.csv", pair / "changes.parquet", pair / "report.md", pair / "report.html",
    ]  # fmt: skip
    assert all(path.stat().st_size > 0 for path in paths)


def test_exactly_the_expected_changes(two):
    output, _ = two
    rows = read_rows(output / "diff" / "2024-2025" / "changes.csv")
    assert list(rows[0]) == CHANGE_COLUMNS
    got = [(r["table"], r["key"], r["field"], r["before"], r["after"], r["change"]) for r in rows]
    assert got == [
        ("agreements", "物品役務相互提供協定 / GBR", "status", "signed", "concluded", "changed"),
        ("agreements", "物品役務相互提供協定 / IND", "status", "", "signed", "added"),
        (
            "keywords",
            COUNTER,
            "definition",
            OLD["keywords"][0]["definition"],
            NEW["keywords"][0]["definition"],
            "changed",
        ),
        ("keywords", IAMD, "definition", "各種アセットを統合する。", "", "removed"),
    ]
    assert (rows[0]["old_edition"], rows[0]["old_page"], rows[0]["new_edition"], rows[0]["new_page"]) == (
        "2024", "300", "2025", "310",
    )  # fmt: skip
    assert rows[1]["old_page"] == "" and rows[3]["new_page"] == ""


def test_changes_parquet_types(two):
    output, _ = two
    table = pq.read_table(output / "diff" / "2024-2025" / "changes.parquet")
    assert table.column_names == CHANGE_COLUMNS
    assert table.schema.field("old_page").type == pa.int64()
    assert table.column("old_page").to_pylist() == [300, None, 12, 40]


def test_html_report_marks_exactly_the_changed_characters(two):
    output, _ = two
    report = parse(output / "diff" / "2024-2025" / "report.html")
    assert report.marked == {"del": ["豪州"], "ins": ["英国"]}
    text = "".join(report.text)
    assert "No changes between" not in text
    assert "英国 GBR: 署名 signed → 締結 concluded" in text and "インド IND — 署名 signed" in text
    assert "2025 p.141 (PDF p.310)" in text and "新しい項目。" in text and "古い項目。" not in text
    assert "R07zenpen.pdf#page=310" in report.links
    assert all(link.split("#page=")[0].endswith(".pdf") for link in report.links)
    assert len(report.images) == 2 and all(src.startswith("data:image/png;base64,") for src in report.images)


def test_markdown_report(two):
    output, _ = two
    text = (output / "diff" / "2024-2025" / "report.md").read_text(encoding="utf-8")
    assert "日本と[-豪州-]{+英国+}の間の協定に基づく能力。" in text
    assert "[2025 p.141 (PDF p.310)](R07zenpen.pdf#page=310)" in text
    assert "| agreements | 1 | 0 | 1 | 2 |" in text
    assert "![" in text and "(../partners_by_edition.png)" in text


def test_rerun_is_byte_identical(two, tmp_path):
    output, paths = two
    again = make_output(tmp_path, {"2024": OLD, "2025": NEW})
    diff_editions(again)
    again_paths = diff_editions(again)
    assert [p.relative_to(again) for p in again_paths] == [p.relative_to(output) for p in paths]
    for first, second in zip(paths, again_paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_identical_editions_say_no_changes(tmp_path):
    output = make_output(tmp_path, {"2024": NEW, "2025": NEW})
    diff_editions(output)
    pair = output / "diff" / "2024-2025"
    assert (pair / "changes.csv").read_text(encoding="utf-8") == ",".join(CHANGE_COLUMNS) + "\n"
    assert "No changes between the 2024 and 2025 editions." in (pair / "report.md").read_text(encoding="utf-8")
    assert "No changes between the 2024 and 2025 editions." in "".join(parse(pair / "report.html").text)


def test_single_edition_writes_nothing(tmp_path):
    output = make_output(tmp_path, {"2025": NEW})
    assert diff_editions(output) == []
    assert not (output / "diff").exists() and not (output / "agreement_timeline.csv").exists()


def test_unknown_edition_lists_present(tmp_path):
    output = make_output(tmp_path, {"2024": OLD, "2025": NEW})
    with pytest.raises(HakushoError, match="no edition 2019; editions present: 2024, 2025"):
        diff_editions(output, "2019", "2025")


def test_missing_dataset(tmp_path):
    with pytest.raises(HakushoError, match="editions.csv: missing; run `hakusho dataset`"):
        diff_editions(tmp_path / "output")


def three_editions() -> dict[str, dict[str, list[dict]]]:
    return {
        "2023": {"agreements": [ACSA | GBR | {"status": "negotiating", "page": "1"}]},
        "2024": {
            "agreements": [
                ACSA | GBR | {"status": "signed", "page": "1"},
                ACSA | AUS | {"status": "in_force", "page": "1"},
            ]
        },
        "2025": {"agreements": [ACSA | GBR | {"status": "concluded", "page": "1"}]},
    }


def test_timeline_over_three_editions(tmp_path):
    output = make_output(tmp_path, three_editions())
    diff_editions(output)
    rows = {row["iso3"]: row for row in read_rows(output / "agreement_timeline.csv")}
    assert list(rows) == ["AUS", "GBR"]
    gbr = rows["GBR"]
    assert (gbr["first_edition"], gbr["last_edition"], gbr["editions"], gbr["last_status"]) == (
        "2023",
        "2025",
        "3",
        "concluded",
    )
    assert (gbr["first_negotiating"], gbr["first_signed"], gbr["first_concluded"], gbr["first_in_force"]) == (
        "2023", "2024", "2025", "",
    )  # fmt: skip
    aus = rows["AUS"]
    assert (aus["first_edition"], aus["last_edition"], aus["first_in_force"]) == ("2024", "2024", "2024")
    assert sorted(p.name for p in (output / "diff").iterdir()) == [
        "2023-2024", "2024-2025", "mention_shares_by_edition.png", "mention_shares_by_edition.svg",
        "partners_by_edition.png", "partners_by_edition.svg",
    ]  # fmt: skip


def test_given_pair_only(tmp_path):
    output = make_output(tmp_path, three_editions())
    diff_editions(output, "2023", "2025")
    assert (output / "diff" / "2023-2025" / "changes.csv").exists()
    assert not (output / "diff" / "2023-2024").exists()


CHAR_DIFF_CASES = (
    # an insertion difflib would place mid-word is moved to the clause boundary
    (
        "国際救援活動などのために",
        "国際救援活動、大規模災害対応活動などのために",
        [("=", "国際救援活動"), ("+", "、大規模災害対応活動"), ("=", "などのために")],
    ),
    ("締結されている。", "締結され、署名されている。", [("=", "締結され"), ("+", "、署名され"), ("=", "ている。")]),
    ("あいう", "あう", [("=", "あ"), ("-", "い"), ("=", "う")]),
    ("同じ", "同じ", [("=", "同じ")]),
    ("", "新", [("+", "新")]),
)


@pytest.mark.parametrize(("old", "new", "runs"), CHAR_DIFF_CASES)
def test_char_diff_places_edits_at_boundaries(old, new, runs):
    from pipeline.diff.report import char_diff

    assert char_diff(old, new) == runs
    assert "".join(t for op, t in runs if op != "+") == old and "".join(t for op, t in runs if op != "-") == new


def test_reports_follow_the_dataset_when_editions_come_and_go(tmp_path):
    """A pair asked for by hand is kept current; a pair with an edition no longer published is removed."""
    output = make_output(tmp_path, three_editions())
    diff_editions(output)
    diff_editions(output, "2023", "2025")
    (output / "diff" / "2023-2024" / "notes.txt").write_text("a reviewer's notes", encoding="utf-8")
    editions = three_editions()
    del editions["2024"]
    editions["2025"]["agreements"][0]["status"] = "in_force"  # and 2025 was re-read meanwhile
    assert make_output(tmp_path, editions) == output
    diff_editions(output)
    pairs = sorted(p.name for p in (output / "diff").iterdir() if p.is_dir())
    assert pairs == ["2023-2024", "2023-2025"]
    assert sorted(p.name for p in (output / "diff" / "2023-2024").iterdir()) == ["notes.txt"]  # not ours: kept
    assert not (output / "diff" / "2024-2025").exists()
    rows = read_rows(output / "diff" / "2023-2025" / "changes.csv")
    assert [(r["before"], r["after"]) for r in rows if r["field"] == "status"] == [("negotiating", "in_force")]


def decided(table: str, key: str, action: str, state: str, **cells: str) -> dict:
    """A row of the published decisions table."""
    row = {"table": table, "row_id": rowids.digest(table, key), "key": key, "action": action, "state": state}
    return {name: "" for name in schema.table("decisions").columns} | row | {"date": "2026-07-20"} | cells


def test_each_change_shows_whether_it_is_reviewed_and_the_report_counts_what_is_open(tmp_path):
    """Accepted (the change itself), corrected (the row it shows), open; acceptances that no longer hold are stale."""
    new = dict(NEW, agreements=[NEW["agreements"][0] | {"decision": "corrected"}, *NEW["agreements"][1:]])
    pair = "2024-2025"
    decisions = [
        decided("changes", f"{pair} / agreements / 物品役務相互提供協定 / IND / status / added", "accept", "diff",
                value="signed"),
        decided("changes", f"{pair} / keywords / {COUNTER} / definition / changed", "accept", "diff",
                was="前の定義。", value=NEW["keywords"][0]["definition"]),
        decided("changes", f"{pair} / acronyms / SDF / term / changed", "accept", "diff", was="自衛隊", value="陸自"),
        decided("agreements", "2025 / 物品役務相互提供協定 / AUS / concluded", "reject", "stale", reason="x",
                detail="no row of agreements has this key in the 2025 edition any more"),
        decided("agreements", "2016 / 物品役務相互提供協定 / AUS / concluded", "reject", "stale", reason="x",
                detail="another pair's"),
    ]  # fmt: skip
    output = make_output(tmp_path, {"2024": OLD, "2025": new}, decisions)
    diff_editions(output)
    changes = read_rows(output / "diff" / pair / "changes.csv")
    assert [(c["key"], c["decision"]) for c in changes] == [
        ("物品役務相互提供協定 / GBR", "corrected"),
        ("物品役務相互提供協定 / IND", "accepted"),
        (COUNTER, ""),  # its acceptance saw other values
        (IAMD, ""),
    ]
    assert changes[0]["old_row_id"] and changes[0]["new_row_id"] and not changes[1]["old_row_id"]
    report = (output / "diff" / pair / "report.md").read_text(encoding="utf-8")
    # open: two changes, the 2025 review item, three stale decisions (the 2016 one is another pair's)
    assert "**Open items: 6** (2 change(s) not yet accepted or corrected, not counting the mentions" in report
    assert f"— corrected by hand `{changes[0]['row_id']}`" in report
    assert f"— accepted `{changes[1]['row_id']}`" in report
    assert f"— **open** `{changes[3]['row_id']}`" in report
    stale = report.split("## Stale decisions")[1].split("## Summary")[0]
    counter = f"{decisions[1]['row_id']} ({pair} / keywords / {COUNTER} / definition / changed)"
    assert f"{counter}: the change now reads" in stale
    assert "acronyms / SDF / term / changed): the diff of 2024 and 2025 has no such change any more" in stale
    assert "the 2025 edition any more" in stale and "another pair's" not in stale
    html = parse(output / "diff" / pair / "report.html")
    assert "accepted " + changes[1]["row_id"] in "".join(html.text)
