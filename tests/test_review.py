"""The yearly review on the sample editions, as a user does it: `make extract`, `hakusho review`, decisions
through the commands, `make extract` again; then a sample change that leaves a decision stale, and a bad
line that stops the run before anything is published."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURE_PDFS, SAMPLE, files_in, make_extract, read_rows

from pipeline.cli import main

DAY = "2026-07-20"


def make_extract_on(root: Path, output: str = "out", flags: str = "") -> subprocess.CompletedProcess:
    """`make extract` on root/sources, as a user runs it."""
    return make_extract(root / "sources", root / output, root / "build", "JOBS=1", f"HAKUSHO_FLAGS={flags}")


def review(root: Path, *argv: str, output: str = "out") -> int:
    """`hakusho review …` on root's sources and output."""
    return main(["review", "--sources", str(root / "sources"), "--output", str(root / output), *argv])


def one(found: list[dict], **values: str) -> dict:
    (row,) = [row for row in found if all(row[name] == value for name, value in values.items())]
    return row


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Path:
    """The sample editions, extracted once (the decisions file starts empty)."""
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(SAMPLE, root / "sources")
    run = make_extract_on(root)
    assert run.returncode == 0, run.stderr
    return root


@pytest.mark.slow
def test_reject_correct_add_and_accept_survive_the_next_run(first, tmp_path, capsys):
    root = tmp_path / "routine"
    shutil.copytree(first, root)
    out = root / "out"
    gbr = one(read_rows(out / "agreements.csv"), edition="2025", agreement="円滑化協定", iso3="GBR")
    event = one(read_rows(out / "agreement_events.csv"), edition="2019", iso3="AUS", event="in_force")
    aus = one(read_rows(out / "diff/2023-2025/changes.csv"), table="agreements", key="円滑化協定 / AUS")
    assert (event["date"], aus["decision"]) == ("2017", "")

    assert review(root) == 0
    listed = capsys.readouterr().out
    assert f"  {aus['row_id']}  agreements  円滑化協定 / AUS  added (status concluded)" in listed
    before = int(re.search(r": (\d+) open item\(s\)", listed).group(1))
    assert "not counting 5 mention(s) the report lists apart" in listed  # as the report counts them

    assert review(root, "reject", gbr["row_id"], "--reason", "test: not in the list", "--date", DAY) == 0
    assert review(root, "correct", event["row_id"], "date", "2017-01", "--reason", "test: 1月", "--date", DAY) == 0
    fields = ["edition=2025", "agreement=円滑化協定", "abbr=RAA", "as_of=2025-04", "country=フランス",
              "status=negotiating", "page=1"]  # fmt: skip
    added = ["add", "agreements", *(f"--field={field}" for field in fields), "--reason", "test: missed"]
    assert review(root, *added, "--date", DAY) == 0
    assert review(root, "accept", aus["row_id"], "--date", DAY) == 0
    written = (root / "sources" / "decisions.csv").read_text(encoding="utf-8")
    capsys.readouterr()
    assert review(root) == 0  # decided, though not yet applied: no longer listed
    listed = capsys.readouterr().out
    assert "decisions.csv changed since the last run: run `make extract`" in listed and aus["row_id"] not in listed
    key = "2019 / 物品役務相互提供協定 / AUS / in_force / 2017"
    assert f"agreement_events,{event['row_id']},{key},correct,date,2017-01,2017,test: 1月,{DAY}" in written
    iso3 = one(decisions_lines(root), column="iso3")  # the codes come from the name
    assert (iso3["key"], iso3["action"], iso3["value"]) == ("2025 / 円滑化協定 / FRA / negotiating", "add", "FRA")
    capsys.readouterr()

    # the next `make extract` applies all four, without extracting again
    run = make_extract_on(root)
    assert run.returncode == 0, run.stderr
    assert "extract 2025: skipped, nothing changed" in run.stderr
    assert "dataset: re-run, decisions.csv changed" in run.stderr
    assert "decisions: 4 applied, 0 stale" in run.stderr
    agreements = read_rows(out / "agreements.csv")
    assert not [row for row in agreements if row["agreement"] == "円滑化協定" and row["iso3"] == "GBR"]
    france = one(agreements, agreement="円滑化協定", iso3="FRA")
    assert (france["cow"], france["file"], france["decision"]) == ("220", "part3-ch3-doshikoku.pdf", "added")
    corrected = one(read_rows(out / "agreement_events.csv"), row_id=event["row_id"])
    assert (corrected["date"], corrected["decision"]) == ("2017-01", "corrected")
    changes = read_rows(out / "diff/2023-2025/changes.csv")
    assert one(changes, row_id=aus["row_id"])["decision"] == "accepted"
    france_change = one(changes, key="円滑化協定 / FRA")
    assert (france_change["decision"], france_change["new_row_id"]) == ("added", france["row_id"])
    assert not [c for c in changes if c["key"] == "円滑化協定 / GBR"]
    assert one(read_rows(out / "diff/2017-2019/changes.csv"), new_row_id=event["row_id"])["after"] == "2017-01"
    report = (out / "diff/2023-2025/report.md").read_text(encoding="utf-8")
    assert f"`concluded` — [2025 p.1 (PDF p.1)](part3-ch3-doshikoku.pdf#page=1) — accepted `{aus['row_id']}`" in report
    where = "[2025 PDF p.1](part3-ch3-doshikoku.pdf#page=1)"  # no printed page given
    assert f"フランス `FRA` — 交渉中 `negotiating` — {where} — added by hand `{france_change['row_id']}`" in report
    # GBR's change is gone (rejected), AUS's accepted; the added row's change is decided ("added by hand")
    assert f"**Open items: {before - 2}** ({before - 2} change(s) not yet accepted or corrected" in report
    assert "— corrected by hand `" in (out / "diff/2017-2019/report.md").read_text(encoding="utf-8")
    rejected = report.split("## Rows rejected by hand")[1].split("## Summary")[0]
    gone = "**agreements 2025 / 円滑化協定 / GBR / concluded**"
    assert f"{gone} {gbr['row_id']}: test: not in the list ({DAY})" in rejected
    published = read_rows(out / "decisions.csv")
    assert {(row["action"], row["state"]) for row in published} == {
        ("reject", "applied"),
        ("correct", "applied"),
        ("add", "applied"),
        ("accept", "diff"),
    }

    # a second run gives the same files: skipped as is, and byte-identical when made again from the same build
    snapshot = files_in(out)
    run = make_extract_on(root)
    assert run.returncode == 0 and "dataset: skipped, nothing changed" in run.stderr, run.stderr
    assert files_in(out) == snapshot
    assert make_extract_on(root, output="again").returncode == 0
    assert files_in(root / "again") == snapshot

    # the sample changes: the 2019 edition is another file; the correction's row is gone, and the run says so
    (root / "sources/2019/acsa-n25304000.pdf").unlink()
    shutil.copy(FIXTURE_PDFS / "engine-media-box.pdf", root / "sources/2019/chapter.pdf")
    run = make_extract_on(root, flags="--quiet")
    assert run.returncode == 0, run.stderr
    line = next(n for n, text in enumerate(written.splitlines(), start=1) if ",correct," in text)
    assert (
        f"warning: {root / 'sources/decisions.csv'}: line {line}: correct agreement_events {event['row_id']} "
        f"(2019 / 物品役務相互提供協定 / AUS / in_force / 2017) is stale: no row of agreement_events has this key in "
        "the 2019 edition any more; update or remove it (hakusho review lists it)"
    ) in run.stderr.splitlines()
    assert one(read_rows(out / "decisions.csv"), action="correct")["state"] == "stale"
    run = make_extract_on(root)  # nothing to redo, and still said: every run, until it is updated or removed
    assert "dataset: skipped, nothing changed" in run.stderr and f"{event['row_id']} (2019 / " in run.stderr
    assert "decisions: 3 applied, 1 stale" in run.stderr
    report = (out / "diff/2017-2019/report.md").read_text(encoding="utf-8")
    assert "## Stale decisions" in report and f"**correct agreement\\_events** {event['row_id']}" in report
    assert review(root, "--edition", "2019") == 0
    listed = capsys.readouterr().out
    assert "Stale decisions (1)" in listed and f"  {event['row_id']}  correct agreement_events date" in listed

    # a bad line: one line naming the file and line, and nothing is published
    snapshot = files_in(out)
    with open(root / "sources/decisions.csv", "a", encoding="utf-8") as handle:
        handle.write(f"agreement,{gbr['row_id']},x,reject,,,,typo,{DAY}\n")
    run = make_extract_on(root)
    assert run.returncode != 0
    error = [text for text in run.stderr.splitlines() if text.startswith("hakusho: error:")]
    assert error == [
        f"hakusho: error: {root / 'sources/decisions.csv'}: line {written.count(chr(10)) + 1}: unknown table "
        "'agreement' (tables that take decisions: keywords, agreements, agreement_events, acronyms, review, "
        "country_lists, country_mentions, changes); fix or remove the line"
    ]
    assert files_in(out) == snapshot


def decisions_lines(root: Path) -> list[dict]:
    return read_rows(root / "sources" / "decisions.csv")


# --- the commands' own checks, on the first run's output ---------------------------------------------------------


def ids(first: Path) -> dict[str, str]:
    out = first / "out"
    return {
        "row": one(read_rows(out / "agreements.csv"), agreement="円滑化協定", iso3="PHL")["row_id"],
        "change": read_rows(out / "diff/2023-2025/changes.csv")[0]["row_id"],
        "timeline": read_rows(out / "agreement_timeline.csv")[0]["row_id"],
    }


PHILIPPINES = ("--field=edition=2025", "--field=agreement=円滑化協定", "--field=country=フィリピン", "--field=page=1")
COMMAND_ERRORS = (
    (("reject", "{change}", "--reason", "x"), "reject is not for a change: accept it or leave it open"),
    (("reject", "{row}"), "reject needs a reason"),
    (("accept", "0123456789ab"), "has the id 0123456789ab; copy it from `hakusho review`"),
    (("accept", "{timeline}"), "row {timeline} is a row of agreement_timeline, which takes no decisions"),
    (("correct", "{row}", "colour", "red", "--reason", "x"), "agreements has no column 'colour'"),
    (("correct", "{row}", "status", "signed", "--reason", "x"), "status is 'signed' as extracted"),
    (("correct", "{row}", "status", "pending", "--reason", "x"), "agreements.status 'pending' is not one of"),
    (("correct", "{row}", "iso3", "XYZ", "--reason", "x"), "'XYZ' is not a code of pipeline/data/cow_codes.csv"),
    (("correct", "{row}", "status", "agreed", "--reason", "x", "--date", "July"), "--date July: not a day"),
    (("add", "editions", "--field", "edition=2025", "--reason", "x"), "rows are added to keywords, agreements"),
    (("add", "agreements", *PHILIPPINES, "--field=status=signed", "--reason", "x"), "agreements already has this row"),
    (("add", "agreements", *PHILIPPINES, "--field=status=concluded", "--reason", "x"),
     "agreements already has a row with this edition, agreement, partner"),
    (("add", "agreements", "--field", "edition=2025", "--field", "agreement=X", "--reason", "x"),
     "the row added to agreements gives no country, which is required"),
    (("add", "agreements", "--field", "page", "--reason", "x"), "--field page: write it as column=value"),
    (("forget", "{row}"), "no decision about {row}"),
)  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), COMMAND_ERRORS)
def test_a_decision_the_dataset_would_refuse_is_refused_at_once(first, tmp_path, capsys, argv, message):
    names = ids(first)
    decisions = tmp_path / "decisions.csv"
    code = main(
        ["review", "--output", str(first / "out"), "--decisions", str(decisions), *(a.format(**names) for a in argv)]
    )
    err = capsys.readouterr().err
    assert code == 1 and message.format(**names) in err and err.count("\n") == 1, err
    assert not decisions.exists()


def test_a_row_is_decided_once_and_forget_removes_the_decision(first, tmp_path, capsys):
    names = ids(first)
    decisions = tmp_path / "decisions.csv"
    argv = ["review", "--output", str(first / "out"), "--decisions", str(decisions)]
    assert main([*argv, "accept", names["row"], "--date", DAY]) == 0
    assert main([*argv, "accept", names["row"], "--reason", "checked on p.1", "--date", DAY]) == 0  # made again
    assert [row["reason"] for row in read_rows(decisions)] == ["checked on p.1"]
    assert main([*argv, "reject", names["row"], "--reason", "x"]) == 1
    assert f"row {names['row']} already has a decision to accept ({decisions} line 2); " in capsys.readouterr().err
    assert main([*argv, "forget", names["row"]]) == 0
    assert read_rows(decisions) == []
    assert main([*argv, "reject", names["row"], "--reason", "x"]) == 0
    capsys.readouterr()
    assert main([*argv, "correct", names["row"], "status", "agreed", "--reason", "x"]) == 1
    assert f"row {names['row']} already has a decision to reject" in capsys.readouterr().err


def test_a_corrected_party_name_brings_its_codes(first, tmp_path, capsys):
    """Correcting a country corrects its iso3 and cow too (lines of their own), when the name is known."""
    names = ids(first)
    sources = tmp_path / "sources"
    argv = ["review", "--output", str(first / "out"), "--sources", str(sources)]
    assert main([*argv, "correct", names["row"], "country", "フランス", "--reason", "test", "--date", DAY]) == 0
    written = {row["column"]: (row["value"], row["was"]) for row in decisions_lines(tmp_path)}
    assert written == {"country": ("フランス", "フィリピン"), "iso3": ("FRA", "PHL"), "cow": ("220", "840")}
    out = tmp_path / "out"
    dataset = ["dataset", "--build", str(first / "build"), "--output", str(out), "--sources", str(sources)]
    assert main([*dataset, "--quiet"]) == 0
    row = one(read_rows(out / "agreements.csv"), row_id=names["row"])
    assert (row["country"], row["iso3"], row["cow"], row["decision"]) == ("フランス", "FRA", "220", "corrected")

    assert main([*argv, "forget", names["row"]]) == 0
    capsys.readouterr()
    assert main([*argv, "correct", names["row"], "country", "フイリピン", "--reason", "a typo", "--date", DAY]) == 0
    assert [row["column"] for row in decisions_lines(tmp_path)] == ["country"]  # not a known name: codes kept


def test_review_lists_the_open_items_of_the_newest_edition(first, capsys):
    assert review(first) == 0
    listed = capsys.readouterr().out
    changes = read_rows(first / "out/diff/2023-2025/changes.csv")
    mentions = [c for c in changes if c["key"].endswith(" / mentioned")]  # listed apart, not counted
    counted = len(changes) - len(mentions)
    assert mentions and listed.startswith(
        f"2025 edition ({first / 'out'}, decisions: {first / 'sources/decisions.csv'}): {counted} open item(s)\n"
    )
    assert f"Changes 2023 → 2025 not yet accepted or corrected ({counted}; not counting {len(mentions)} " in listed
    assert all(f"  {c['row_id']}  " not in listed for c in mentions)
    assert "Review items of 2025 without a decision (0)" in listed
    assert review(first, "--edition", "2017") == 0
    listed = capsys.readouterr().out
    item = one(read_rows(first / "out/review.csv"), edition="2017")
    assert f"  {item['row_id']}  keywords: KEY WORD label outside a box (not read as a keyword) — " in listed


def test_hakusho_dataset_applies_the_decisions_of_its_sources(first, tmp_path):
    names = ids(first)
    decisions = tmp_path / "sources" / "decisions.csv"
    argv = ["review", "--output", str(first / "out"), "--sources", str(tmp_path / "sources")]
    assert main([*argv, "reject", names["row"], "--reason", "test", "--date", DAY]) == 0
    out = tmp_path / "out"
    dataset = ["dataset", "--build", str(first / "build"), "--output", str(out), "--quiet"]
    assert main([*dataset, "--sources", str(tmp_path / "sources")]) == 0
    assert names["row"] not in (out / "agreements.csv").read_text(encoding="utf-8")
    assert main([*dataset, "--decisions", str(tmp_path / "none.csv")]) == 0  # no file: no decisions
    assert names["row"] in (out / "agreements.csv").read_text(encoding="utf-8")
    assert decisions.is_file()
