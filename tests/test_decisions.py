"""The decisions file: every bad line is a one-line error naming the file and line; good lines are applied to
the tables (reject, correct, add, accept), and a decision whose row is gone or whose cell the rules now read
otherwise is stale, not applied."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from pipeline import cache, decisions, rowids, schema
from pipeline.errors import HakushoError
from pipeline.formats import sort_rows

COLUMNS = decisions.file_columns()
GBR_KEY = "2025 / 円滑化協定 / GBR / signed"
EVENT_KEY = "2019 / 物品役務相互提供協定 / USA / signed / 2016-09"
CHANGE_KEY = "2024-2025 / agreements / 円滑化協定 / GBR / status / changed"
DAY = "2026-07-20"


def row_id(table: str, key: str) -> str:
    return rowids.digest(table, key)


def line(table: str, key: str, action: str, **cells: str) -> dict[str, str]:
    """The cells of a good decision line; ``cells`` override any of them."""
    base = {"table": table, "row_id": row_id(table, key), "key": key, "action": action, "date": DAY}
    if action != "accept":
        base["reason"] = "p.1 says so"
    return {name: "" for name in COLUMNS} | base | cells


def write(path, *lines: dict[str, str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    path.write_text(buffer.getvalue(), encoding="utf-8")


REJECT_GBR = line("agreements", GBR_KEY, "reject")
CORRECT_DATE = line("agreement_events", EVENT_KEY, "correct", column="date", value="2016-10", was="2016-09")
ADDED = {
    "edition": "2025", "agreement": "円滑化協定", "country": "フランス", "iso3": "FRA", "cow": "220",
    "party_type": "state", "status": "negotiating", "file": "a.pdf", "page": "3",
}  # fmt: skip
ADDED_KEY = "2025 / 円滑化協定 / FRA / negotiating"
ADD_LINES = [line("agreements", ADDED_KEY, "add", column=name, value=value) for name, value in ADDED.items()]
ACCEPT_CHANGE = line("changes", CHANGE_KEY, "accept", was="signed", value="concluded")

# --- bad lines: (the line, what the one-line error says) -------------------------------------------------------

BAD_LINES = (
    (line("agreement", GBR_KEY, "reject"), "unknown table 'agreement' (tables that take decisions: keywords, "),
    (line("editions", "2025", "reject"), "no decisions are taken on table 'editions'"),
    (REJECT_GBR | {"row_id": "0123456789ab"}, "unknown row id 0123456789ab for the key"),
    (REJECT_GBR | {"key": "2025 / 円滑化協定 / GBR / concluded"}, "unknown row id"),
    (REJECT_GBR | {"row_id": "GBR"}, "row_id 'GBR' does not match"),
    (CORRECT_DATE | {"column": "day"}, "agreement_events has no column 'day' (its columns: edition, agreement"),
    (CORRECT_DATE | {"column": "row_id"}, "agreement_events has no column 'row_id'"),
    (CORRECT_DATE | {"value": "2016-13"}, "agreement_events.date '2016-13' does not match"),
    (line("agreements", GBR_KEY, "correct", column="status", value="pending", was="signed"),
     "agreements.status 'pending' is not one of negotiating, agreed, signed, concluded, in_force, other"),
    (line("agreements", GBR_KEY, "correct", column="iso3", value="XYZ", was="GBR"),
     "agreements.iso3 'XYZ' is not a code of pipeline/data/cow_codes.csv (column iso3)"),
    (line("agreements", GBR_KEY, "correct", column="page", value="p3", was="1"),
     "agreements.page 'p3' is not of type integer"),
    (line("agreements", GBR_KEY, "correct", column="edition", value="2024", was="2025"), "the edition of a row is not"),
    (CORRECT_DATE | {"reason": ""}, "correct needs a reason"),
    (REJECT_GBR | {"reason": ""}, "reject needs a reason"),
    (REJECT_GBR | {"action": "delete"}, "action 'delete' is not one of accept, reject, correct, add"),
    (REJECT_GBR | {"date": "20.7.2026"}, "date '20.7.2026' does not match"),
    (line("agreements", GBR_KEY, "accept", column="status"), "accept takes no column or value"),
    (line("changes", CHANGE_KEY, "reject"), "reject is not for a change: accept it or leave it open"),
    (line("review", "2025 / pages / a.pdf / no_text / x", "correct", column="text", value="y", was="x"),
     "action 'correct' is not one of accept, reject (what review takes)"),
    (line("agreements", "円滑化協定 / GBR", "reject"), "the key '円滑化協定 / GBR' does not start with an edition"),
)  # fmt: skip


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_a_bad_line_is_an_error_naming_the_file_and_line(tmp_path, bad, message):
    path = tmp_path / "decisions.csv"
    write(path, ACCEPT_CHANGE, bad)  # the bad line is line 3 (the header is line 1)
    with pytest.raises(HakushoError) as error:
        decisions.read(path)
    text = str(error.value)
    assert text.startswith(f"{path}: line 3: ") and message in text, text
    assert "\n" not in text


BAD_FILES = (
    ("table,row_id,action\n", "line 1: the columns are table, row_id, action; a decisions file has the columns"),
    (",".join(COLUMNS) + "\nagreements,x\n", f"line 2: 2 cells, not {len(COLUMNS)}"),
    (
        ",".join(COLUMNS) + "\n" + ",".join(REJECT_GBR.values()) + "\n\n" + ",".join(REJECT_GBR.values()) + "\n",
        "line 4: repeats line 2",
    ),
    (
        ",".join(COLUMNS) + "\n" + ",".join(REJECT_GBR.values()) + "\n"
        + ",".join(line("agreements", GBR_KEY, "accept").values()) + "\n",
        "line 3: row " + row_id("agreements", GBR_KEY) + " already has a decision to reject (line 2)",
    ),
    (
        ",".join(COLUMNS) + "\n" + "\n".join(",".join(x.values()) for x in ADD_LINES if x["column"] != "status"),
        "line 2: the row added to agreements gives no status, which is required",
    ),
)  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_bad_file_is_an_error_naming_the_line(tmp_path, text, message):
    path = tmp_path / "decisions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HakushoError, match=f"^{path}: {message}".replace("(", r"\(").replace(")", r"\)")):
        decisions.read(path)


def test_no_file_is_no_decisions(tmp_path):
    assert decisions.read(tmp_path / "decisions.csv") == []
    assert decisions.read(None) == []


def test_good_lines_are_read_with_their_numbers(tmp_path):
    path = tmp_path / "decisions.csv"
    write(path, REJECT_GBR, CORRECT_DATE, *ADD_LINES, ACCEPT_CHANGE)
    lines = decisions.read(path)
    assert [entry.number for entry in lines] == list(range(2, 2 + len(lines)))
    assert [entry.cells for entry in lines] == [REJECT_GBR, CORRECT_DATE, *ADD_LINES, ACCEPT_CHANGE]


def test_the_file_is_written_sorted_and_reads_back_the_same(tmp_path):
    path = tmp_path / "decisions.csv"
    lines = [decisions.Line(0, cells) for cells in (ACCEPT_CHANGE, *reversed(ADD_LINES), CORRECT_DATE, REJECT_GBR)]
    decisions.write(path, lines)
    first = path.read_bytes()
    back = decisions.read(path)
    assert [entry.table for entry in back] == ["agreement_events", *["agreements"] * 10, "changes"]
    assert [entry.column for entry in back if entry.action == "add"] == sorted(ADDED)  # one order, whatever given
    decisions.write(path, list(reversed(back)))
    assert path.read_bytes() == first


def test_the_actions_and_states_are_the_schemas():
    table = schema.table("decisions")
    actions = (decisions.ACCEPT, decisions.REJECT, decisions.CORRECT, decisions.ADD)
    assert table.field("action").values == actions
    assert table.field("state").values == (decisions.APPLIED, decisions.STALE, decisions.DIFF)
    assert set(decisions.MARKS.values()) == set(schema.table("agreements").field("decision").values)


def test_the_code_lists_are_data_of_the_dataset_stage():
    """A code list is read under a name from schema.json: the cache rule must still count it as the stage's data."""
    read = {path.name for module in cache.closure("pipeline.dataset") for path in cache.files_read(module)}
    assert {file for file, _ in schema.load().code_lists.values()} <= read


# --- applying them -----------------------------------------------------------------------------------------------


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    spec = schema.table(table)
    filled = pd.DataFrame([{name: "" for name in spec.made_columns} | row for row in rows], dtype=str)
    filled["_source"] = [f"build/{table}.csv row {i + 2}" for i in range(len(rows))]
    return rowids.with_row_ids(spec, sort_rows(filled, spec))  # as the dataset collects them: sorted


GBR_SIGNED = {"edition": "2025", "agreement": "円滑化協定", "country": "英国", "iso3": "GBR", "status": "signed"}
AUS = {"edition": "2025", "agreement": "円滑化協定", "country": "豪州", "iso3": "AUS", "status": "concluded"}
USA_SIGNED = {
    "edition": "2019", "agreement": "物品役務相互提供協定", "country": "米", "iso3": "USA", "event": "signed",
    "date": "2016-09", "page": "1",
}  # fmt: skip


def tables(agreements=(GBR_SIGNED, AUS), events=(USA_SIGNED,)) -> dict[str, pd.DataFrame]:
    return {
        "agreements": frame("agreements", list(agreements)),
        "agreement_events": frame("agreement_events", list(events)),
    }


def apply(*cells: dict[str, str], given=None, years=("2019", "2024", "2025")):
    lines = [decisions.Line(n, c) for n, c in enumerate(cells, start=2)]
    return decisions.apply(lines, given or tables(), list(years), "decisions.csv")


def states(published: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(published["action"], published["state"], published["detail"], strict=True))


def test_reject_correct_add_and_accept_are_applied_and_marked():
    out, published = apply(REJECT_GBR, CORRECT_DATE, *ADD_LINES, ACCEPT_CHANGE)
    agreements = out["agreements"]
    assert list(zip(agreements["iso3"], agreements["decision"], strict=True)) == [("AUS", ""), ("FRA", "added")]
    assert agreements["row_id"].iloc[1] == row_id("agreements", ADDED_KEY)
    events = out["agreement_events"].iloc[0]
    assert (events["date"], events["decision"], events["row_id"]) == (
        "2016-10",
        "corrected",
        row_id("agreement_events", EVENT_KEY),
    )  # the row keeps the id of the row as extracted
    assert events["_source"] == "decisions.csv line 3 (correct date)"
    assert set(published["state"]) == {"applied", "diff"}  # a change's acceptance is the diff's to apply
    assert published.columns.tolist() == [*schema.table("decisions").columns, "_source"]


def test_accept_marks_the_row():
    out, _ = apply(line("agreements", GBR_KEY, "accept"))
    assert out["agreements"]["decision"].tolist() == ["", "accepted"]  # AUS, GBR in sort order


STALE_CASES = (
    (REJECT_GBR, tables(agreements=[AUS]), "no row of agreements has this key in the 2025 edition any more"),
    (CORRECT_DATE, tables(events=[USA_SIGNED | {"date": "2016-10"}]), "no row of agreement_events has this key"),
    (
        line("agreement_events", EVENT_KEY, "correct", column="page", value="2", was="5"),
        tables(),
        "the rules now give '1' for page, not '5' as when it was corrected",
    ),
    (
        line("agreement_events", EVENT_KEY, "correct", column="page", value="1", was="5"),
        tables(),
        "the rules now give the corrected value itself for page",
    ),
    (ADD_LINES[0], tables(agreements=[AUS, ADDED]), "the rules now extract this row: remove the decision"),
    (
        ADD_LINES[0],
        tables(agreements=[AUS, ADDED | {"status": "signed"}]),
        "the rules now extract a row with the same edition, agreement, partner (row_id ",
    ),
)


@pytest.mark.parametrize(("decision", "given", "detail"), STALE_CASES)
def test_a_decision_whose_row_or_cell_changed_is_stale_and_not_applied(decision, given, detail):
    before = {name: frame.copy() for name, frame in given.items()}
    lines = [decision] if decision is not ADD_LINES[0] else ADD_LINES
    out, published = apply(*lines, given=given)
    assert set(published["state"]) == {"stale"} and detail in published["detail"].iloc[0]
    for name, frame in before.items():
        assert out[name].drop(columns="decision").equals(frame), name


def test_decisions_about_editions_not_in_the_run_are_left_aside():
    out, published = apply(REJECT_GBR, CORRECT_DATE, ACCEPT_CHANGE, years=("2019",))
    assert published["table"].tolist() == ["agreement_events"]
    assert len(out["agreements"]) == 2


def test_a_correction_that_duplicates_a_key_names_its_line():
    duplicate = line("agreements", GBR_KEY, "correct", column="iso3", value="AUS", was="GBR")
    with pytest.raises(HakushoError, match=r"^decisions.csv line 2 \(correct iso3\): the correction gives row "):
        apply(duplicate)
