"""Tests for pipeline.dataset: collecting, validating and publishing the tables of every edition."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import files_in, read_rows

from pipeline import rowids, schema
from pipeline.dataset import build_dataset
from pipeline.errors import HakushoError

PDF = {"2024": "R06zenpen.pdf", "2025": "R07zenpen.pdf"}
EXTRACTED_TABLES = [table.name for table in schema.load().made_by("extract")]


def columns(table: str) -> list[str]:
    return schema.table(table).columns


OSA_PHILIPPINES = {
    "edition": "2025",
    "subject": "OSA",
    "period": "2023",
    "period_kind": "fiscal",
    "country": "フィリピン",
    "iso3": "PHL",
    "cow": "840",
    "party_type": "state",
    "role": "供与決定",
}
# Hand-written extraction output, deliberately out of order and with one exact duplicate row.
ROWS = {
    "keywords": [
        {
            "edition": "2024",
            "term": "統合防空ミサイル防衛",
            "abbr": "IAMD",
            "definition": "各種アセットを統合する。",
            "section": "第III部",
            "page": "40",
            "printed_page": "38",
        },
        {
            "edition": "2024",
            "term": "反撃能力",
            "definition": "相手の領域において有効な反撃を加える能力。",
            "page": "12",
        },
        {
            "edition": "2025",
            "term": "反撃能力",
            "definition": "相手の領域において有効な反撃を加える能力。",
            "page": "14",
        },
    ],
    "agreements": [
        {
            "edition": "2024",
            "agreement": "物品役務相互提供協定",
            "abbr": "ACSA",
            "country": "英国",
            "iso3": "GBR",
            "cow": "200",
            "party_type": "state",
            "status": "in_force",
            "page": "300",
            "as_of": "2024-03",
        },
        {
            "edition": "2024",
            "agreement": "物品役務相互提供協定",
            "abbr": "ACSA",
            "country": "豪州",
            "iso3": "AUS",
            "cow": "900",
            "party_type": "state",
            "status": "in_force",
            "page": "300",
            "as_of": "2024-03",
        },
        {
            "edition": "2024",
            "agreement": "円滑化協定",
            "abbr": "RAA",
            "country": "英国",
            "iso3": "GBR",
            "cow": "200",
            "party_type": "state",
            "status": "signed",
            "page": "301",
        },
        {
            "edition": "2024",
            "agreement": "円滑化協定",
            "abbr": "RAA",
            "country": "英国",
            "iso3": "GBR",
            "cow": "200",
            "party_type": "state",
            "status": "signed",
            "page": "301",
        },
        {
            "edition": "2025",
            "agreement": "円滑化協定",
            "abbr": "RAA",
            "country": "NATO",
            "party_type": "organization",
            "status": "negotiating",
            "page": "310",
        },
    ],
    "agreement_events": [
        {
            "edition": "2025",
            "agreement": "円滑化協定",
            "abbr": "RAA",
            "country": "英国",
            "iso3": "GBR",
            "cow": "200",
            "event": "in_force",
            "date": "2023-10",
            "page": "311",
        },
        {
            "edition": "2025",
            "agreement": "円滑化協定",
            "abbr": "RAA",
            "country": "英国",
            "iso3": "GBR",
            "cow": "200",
            "event": "signed",
            "date": "2023-01",
            "page": "311",
        },
    ],
    "acronyms": [
        {"edition": "2025", "abbr": "SDF", "term": "自衛隊", "expansion": "Self-Defense Forces", "page": "500"},
        {
            "edition": "2025",
            "abbr": "ACSA",
            "term": "物品役務相互提供協定",
            "expansion": "Acquisition and Cross-Servicing Agreement",
            "page": "499",
        },
    ],
    "review": [
        {"edition": "2025", "table": "agreements", "reason": "no status", "page": "9", "text": "日○間で協議を行った。"},
    ],
    # The OSA list of the 2025 edition, out of order, with one party repeated (a later page of the same key).
    "country_lists": [
        {
            "edition": "2025",
            "subject": "OSA",
            "period": "2024",
            "period_kind": "fiscal",
            "country": "ジブチ",
            "iso3": "DJI",
            "cow": "522",
            "party_type": "state",
            "role": "供与決定",
            "page": "402",
            "evidence": "2024年度は、フィリピン、インドネシア、モンゴル、ジブチに対して、…機材を供与することとした。",
        },
        OSA_PHILIPPINES | {"page": "402"},
        OSA_PHILIPPINES | {"page": "30"},
        {
            "edition": "2024",
            "subject": "日米豪印",
            "country": "日",
            "iso3": "JPN",
            "cow": "740",
            "party_type": "state",
            "role": "構成",
            "page": "12",
        },
    ],
    "country_mentions": [
        {
            "edition": "2025",
            "chapter_index": "10",
            "chapter": "第I部 > 第3章 諸外国の防衛政策など",
            "party": "中国",
            "iso3": "CHN",
            "cow": "710",
            "party_type": "state",
            "mentions": "812",
            "chars": "151200",
            "page": "61",
        },
        {
            "edition": "2025",
            "chapter_index": "9",
            "chapter": "第I部 > 第2章 ロシアによる侵略とウクライナによる防衛",
            "party": "NATO",
            "party_type": "organization",
            "mentions": "14",
            "chars": "18500",
            "page": "51",
        },
    ],
}


def write_table(path: Path, table: str, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        made = schema.table(table).made_columns  # what the extract stage writes (no row_id, no decision)
        writer = csv.DictWriter(handle, fieldnames=made)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: "" for name in made} | {"file": PDF[row["edition"]]} | row)


def make_build(root: Path, rows: dict[str, list[dict]] = ROWS) -> Path:
    """A BUILD tree with two editions: layout.json plus one CSV per table."""
    build = root / "build"
    for year, name in PDF.items():
        layout = {
            "edition": year,
            "title": f"令和{int(year) - 2018}年版",
            "pages": 550,
            "layout_version": "1",
            "files": [{"name": name, "sha256": year * 16, "pages": 550}],
        }
        (build / year / "tables").mkdir(parents=True)
        (build / year / "layout.json").write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
        for table in EXTRACTED_TABLES:
            write_table(
                build / year / "tables" / f"{table}.csv", table, [r for r in rows[table] if r["edition"] == year]
            )
    return build


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ds")
    output = root / "output"
    build_dataset(make_build(root), output, quiet=True)
    return output


def test_every_file_is_published(published):
    names = {p.name for p in published.iterdir()}
    tables = [t.name for t in schema.load().published_by_dataset()]
    assert tables == [*EXTRACTED_TABLES, "editions", "decisions"]
    published_files = {f"{t}.{ext}" for t in tables for ext in ("csv", "parquet")} | {"datapackage.json"}
    assert names == published_files | {".hakusho-run.json"}  # the stage's record, for the next run


def test_rerun_is_byte_identical(published, tmp_path):
    again = tmp_path / "output"
    build_dataset(make_build(tmp_path), again, quiet=True)
    build_dataset(make_build(tmp_path / "second"), again, quiet=True)
    assert files_in(again) == files_in(published)


def test_rows_sorted_and_deduplicated(published):
    agreements = read_rows(published / "agreements.csv")
    keys = [(r["edition"], r["agreement"], r["iso3"], r["country"]) for r in agreements]
    assert keys == [
        ("2024", "円滑化協定", "GBR", "英国"),
        ("2024", "物品役務相互提供協定", "AUS", "豪州"),
        ("2024", "物品役務相互提供協定", "GBR", "英国"),
        ("2025", "円滑化協定", "", "NATO"),
    ]
    events = read_rows(published / "agreement_events.csv")
    assert [r["event"] for r in events] == ["in_force", "signed"]
    assert [r["abbr"] for r in read_rows(published / "acronyms.csv")] == ["ACSA", "SDF"]
    lists = read_rows(published / "country_lists.csv")
    assert [(r["edition"], r["period"], r["iso3"], r["page"]) for r in lists] == [
        ("2024", "", "JPN", "12"),
        ("2025", "2023", "PHL", "30"),
        ("2025", "2024", "DJI", "402"),
    ]
    mentions = read_rows(published / "country_mentions.csv")
    assert [(r["chapter_index"], r["party"]) for r in mentions] == [("9", "NATO"), ("10", "中国")]


def test_csv_keeps_empty_strings_and_header_order(published):
    rows = read_rows(published / "keywords.csv")
    assert list(rows[0]) == columns("keywords")
    assert rows[0]["abbr"] == "" and rows[0]["printed_page"] == ""


def test_parquet_types(published):
    agreements = pq.read_table(published / "agreements.parquet")
    assert agreements.schema.field("page").type == pa.int64()
    assert all(agreements.schema.field(n).type == pa.string() for n in columns("agreements") if n != "page")
    assert agreements.column("iso3").null_count == 0
    assert agreements.schema.metadata is None
    editions = pq.read_table(published / "editions.parquet").to_pylist()
    assert editions[1] == {
        "row_id": rowids.digest("editions", "2025"),  # the edition is the key of its row
        "edition": "2025",
        "title": "令和7年版",
        "pages": 550,
        "files": "R07zenpen.pdf:" + "2025" * 16,
        "layout_version": "1",
        "rows_keywords": 1,
        "rows_agreements": 1,
        "rows_agreement_events": 2,
        "rows_acronyms": 2,
        "rows_review": 1,
        "rows_country_lists": 2,
        "rows_country_mentions": 2,
    }
    mentions = pq.read_table(published / "country_mentions.parquet")
    ints = {"page", "chapter_index", "mentions", "chars"}
    assert {n for n in columns("country_mentions") if mentions.schema.field(n).type == pa.int64()} == ints
    assert mentions.column("iso3").to_pylist() == ["", "CHN"]


def test_datapackage_describes_the_csvs(published):
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["agreements"]["schema"]["primaryKey"] == ["edition", "agreement", "iso3", "country"]  # partner
    status = next(f for f in resources["agreements"]["schema"]["fields"] if f["name"] == "status")
    assert "pending" not in status["constraints"]["enum"] and "in_force" in status["constraints"]["enum"]
    assert "created" not in package


def test_bad_status_names_table_row_field_and_keeps_old_output(tmp_path):
    output = tmp_path / "output"
    build = make_build(tmp_path)
    build_dataset(build, output, quiet=True)
    before = files_in(output)
    path = build / "2025" / "tables" / "agreements.csv"
    write_table(path, "agreements", [ROWS["agreements"][-1] | {"status": "pending"}])
    with pytest.raises(HakushoError) as caught:
        build_dataset(build, output, quiet=True)
    message = str(caught.value)
    assert message.startswith("agreements.csv row 5 field status: 'pending' is not one of negotiating, agreed, signed")
    assert f"{path} row 2" in message and "vocabulary" in message
    assert files_in(output) == before
    assert [p.name for p in output.iterdir() if p.name.startswith(".")] == [".hakusho-run.json"]  # no staging left


def test_bad_date_pattern_is_reported(tmp_path):
    build = make_build(tmp_path)
    rows = [r | {"date": "2023年1月"} for r in ROWS["agreement_events"]]
    write_table(build / "2025" / "tables" / "agreement_events.csv", "agreement_events", rows)
    with pytest.raises(HakushoError, match=r"agreement_events.csv row \d field date: '2023年1月' does not match"):
        build_dataset(build, tmp_path / "output", quiet=True)


def test_missing_table_names_the_file(tmp_path):
    build = make_build(tmp_path)
    (build / "2024" / "tables" / "acronyms.csv").unlink()
    with pytest.raises(HakushoError, match=r"2024/tables/acronyms.csv: missing; run `hakusho extract`"):
        build_dataset(build, tmp_path / "output", quiet=True)


def test_unknown_edition_lists_present(tmp_path):
    with pytest.raises(HakushoError, match="no edition 2019 .present: 2024, 2025"):
        build_dataset(make_build(tmp_path), tmp_path / "output", editions=["2019"], quiet=True)


def test_selected_editions_only(tmp_path):
    build_dataset(make_build(tmp_path), tmp_path / "output", editions=["2025"], quiet=True)
    assert {r["edition"] for r in read_rows(tmp_path / "output" / "keywords.csv")} == {"2025"}


def test_output_not_writable(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("a file, not a folder")
    with pytest.raises(HakushoError, match=f"{blocker}: cannot write here"):
        build_dataset(make_build(tmp_path), blocker, quiet=True)
