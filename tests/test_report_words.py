"""The report in the reader's terms: statuses and events in Japanese with their code, partners by one name with
the spelling of the edition beside it, mentions without an event listed apart (collapsed, not counted).

The words are data (``pipeline/data/labels.csv``): every value of an enum of a compared table must have one.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import read_rows
from test_diff import ACSA, make_output, parse

from pipeline import countries, schema
from pipeline.diff import diff_editions, labels
from pipeline.vocabulary import table

# --- the words ---------------------------------------------------------------------------------------------


def _enum_fields() -> dict[str, set[str]]:
    """Field name → the values of its enum, over every table the diff compares (what the report shows); not the
    row fields (a row's review decision is the report's mark, worded in diff/templates/marks.j2)."""
    found: dict[str, set[str]] = {}
    for compared in schema.load().compared():
        for field in compared.fields:
            if field.values and field.name not in compared.row_fields:
                found.setdefault(field.name, set()).update(field.values)
    return found


def _missing(rows, fields: dict[str, set[str]]) -> list[str]:
    words = {(row["field"], row["value"]) for row in rows if row["label"]}
    return sorted(f"{f}={value}" for f, values in fields.items() for value in values if (f, value) not in words)


def test_every_value_of_a_compared_table_has_a_word():
    assert {"status", "event", "kind", "party_type"} <= set(_enum_fields())
    assert _missing(table("labels.csv"), _enum_fields()) == []


def test_a_value_without_a_word_is_found():
    """The check above can fail: a new event added to the schema alone, or a row removed, is named."""
    fields = _enum_fields() | {"event": _enum_fields()["event"] | {"withdrawn"}}
    rows = [row for row in table("labels.csv") if row["value"] != "diet_approved"]
    assert _missing(rows, fields) == ["event=diet_approved", "event=withdrawn"]


def test_every_word_is_for_a_value_of_the_schema():
    fields = _enum_fields()
    assert [(r["field"], r["value"]) for r in table("labels.csv") if r["value"] not in fields.get(r["field"], ())] == []
    assert {r["report"] for r in table("labels.csv")} <= {"", labels.APART}


LABELLED = (
    ("status", "concluded", "締結 concluded"),
    ("status", "signed", "署名 signed"),
    ("status", "in_force", "発効 in_force"),
    ("event", "diet_approved", "国会承認 diet_approved"),
    ("event", "amended", "改正 amended"),
    ("event", "negotiation_started", "交渉開始 negotiation_started"),
    ("party_type", "organization", "国際機関 organization"),
    ("status", "pending", "pending"),  # no word: the code alone
)


@pytest.mark.parametrize(("field", "value", "shown"), LABELLED)
def test_a_code_is_shown_after_its_word(field, value, shown):
    assert labels.labelled(field, value) == shown


def test_mentions_are_listed_apart_and_dated_events_are_not():
    assert labels.apart({"event": "mentioned", "date": ""})
    assert not labels.apart({"event": "in_force", "date": ""})
    assert not labels.apart({"status": "concluded"})


# --- one name per partner ------------------------------------------------------------------------------------

PARTIES = (
    # iso3, as written → the one name, its kind
    ("CAN", "加", "カナダ", "state"),
    ("CAN", "カナダ", "カナダ", "state"),
    ("CAN", "日加", "カナダ", "state"),
    ("ARE", "アラブ首長国連邦 (UAE)", "アラブ首長国連邦", "state"),
    ("ARE", "UAE", "アラブ首長国連邦", "state"),
    ("USA", "米", "米国", "state"),
    ("USA", "アメリカ合衆国", "米国", "state"),
    ("AUS", "豪", "オーストラリア", "state"),
    ("AUS", "豪州", "オーストラリア", "state"),
    ("GBR", "イギリス", "英国", "state"),
    ("", "北大西洋条約機構", "NATO", "organization"),
    ("", "NATO", "NATO", "organization"),
    ("", "欧州連合", "EU", "organization"),
    ("", "ワカンダ", "ワカンダ", "unknown"),
)


@pytest.mark.parametrize(("iso3", "written", "name", "kind"), PARTIES)
def test_a_partner_has_one_name_whatever_the_spelling(iso3, written, name, kind):
    party = countries.party_of(iso3, written)
    assert (party.canonical, party.party_type, party.name) == (name, kind, written)


# --- the report -------------------------------------------------------------------------------------------

CAN_WRITTEN = {"iso3": "CAN", "cow": "20", "party_type": "state"}
ARE = {"iso3": "ARE", "cow": "696", "party_type": "state"}
AUS = {"iso3": "AUS", "cow": "900", "party_type": "state"}
NATO = {"country": "北大西洋条約機構", "iso3": "", "cow": "", "party_type": "organization"}
UNKNOWN = {"country": "ワカンダ", "iso3": "", "cow": "", "party_type": "unknown"}
EVENT = {"agreement": ACSA["agreement"], "abbr": "ACSA", "kind": "agreement"}

# 2024 → 2025: カナダ signed → concluded (written 加, then カナダ); the UAE concluded → in force (written two ways);
# オーストラリア unchanged but spelled 豪州 then オーストラリア (no change); NATO and an unknown name added;
# an event added (英国, from 日英); two mentions without an event, one dropped and one new (apart).
EDITIONS = {
    "2024": {
        "agreements": [
            ACSA | CAN_WRITTEN | {"country": "加", "status": "signed", "page": "10"},
            ACSA | ARE | {"country": "アラブ首長国連邦 (UAE)", "status": "concluded", "page": "10"},
            ACSA | AUS | {"country": "豪州", "status": "concluded", "page": "10"},
        ],
        "agreement_events": [
            EVENT | AUS | {"country": "豪", "event": "mentioned", "date": "", "page": "11"},
            EVENT | {"country": "米", "iso3": "USA", "event": "signed", "date": "2016-09", "page": "11"},
        ],
    },
    "2025": {
        "agreements": [
            ACSA | CAN_WRITTEN | {"country": "カナダ", "status": "concluded", "page": "20"},
            ACSA | ARE | {"country": "UAE", "status": "in_force", "page": "20"},
            ACSA | AUS | {"country": "オーストラリア", "status": "concluded", "page": "20"},
            ACSA | NATO | {"status": "agreed", "page": "20"},
            ACSA | UNKNOWN | {"status": "concluded", "page": "20"},
        ],
        "agreement_events": [
            EVENT | {"country": "加", "iso3": "CAN", "event": "mentioned", "date": "", "page": "21"},
            EVENT | {"country": "米国", "iso3": "USA", "event": "signed", "date": "2016-09", "page": "21"},
            EVENT | {"country": "英", "iso3": "GBR", "event": "in_force", "date": "2017-01", "page": "21"},
        ],
    },
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    output = make_output(tmp_path_factory.mktemp("words"), EDITIONS)
    diff_editions(output)
    return output / "diff" / "2024-2025"


def _items(text: str) -> list[str]:
    """The <li> entries of an HTML fragment, as text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", text)]


def test_statuses_and_partners_read_in_the_readers_terms(pair):
    report = (pair / "report.html").read_text(encoding="utf-8")
    listed = _items(report.split("<details>")[0])
    assert [item.split(" — 20")[0] for item in listed] == [
        "Added: ワカンダ (不明 unknown) — 締結 concluded",
        "Added: NATO (国際機関 organization) — 合意 agreed (written 北大西洋条約機構)",
        "Status: アラブ首長国連邦 ARE: 締結 concluded → 発効 in_force"
        " (written アラブ首長国連邦 (UAE) (2024), UAE (2025))",
        "Status: カナダ CAN: 署名 signed → 締結 concluded (written 加 (2024), カナダ (2025))",
        "Added: 物品役務相互提供協定 — 英国 GBR — 発効 in_force: 2017-01 (written 英)",
    ]
    text = "".join(parse(pair / "report.html").text)
    assert "(CAN)" not in text and "(ARE)" not in text and "豪州" not in text  # no code in parentheses, no noise


def test_every_code_of_the_report_follows_its_word(pair):
    report = (pair / "report.html").read_text(encoding="utf-8")
    shown = re.findall(r"([^\s>]{1,20}) <code>([a-z_]+)</code>", report)
    assert len(shown) >= 8
    for word, code in shown:
        field = next(f for f, values in _enum_fields().items() if code in values)
        assert word.lstrip("(") == labels.label(field, code), (word, code)


def test_mentions_are_collapsed_apart_and_not_counted(pair):
    report = (pair / "report.html").read_text(encoding="utf-8")
    assert report.count("<details>") == 1
    collapsed = report.split("<details>")[1].split("</details>")[0]
    summary = "<summary>Agreements named with a partner, without an event or a date: 1 added, 1 removed</summary>"
    assert summary in collapsed
    assert [item.split(" — 20")[0] for item in _items(collapsed)] == [
        "Removed: 物品役務相互提供協定 — オーストラリア AUS (written 豪)",
        "Added: 物品役務相互提供協定 — カナダ CAN (written 加)",
    ]
    assert "言及" not in report.split("<details>")[0]
    counts = [row for row in parse_summary(report) if row[0] == "agreement_events"]
    assert counts == [["agreement_events", "1", "0", "0", "1"]]
    assert "Not counted: 2 mention(s) of an agreement with a partner" in html.unescape(report)
    rows = read_rows(pair / "changes.csv")  # the data keeps every change
    assert sorted(r["key"] for r in rows if r["key"].endswith(" / mentioned")) == [
        f"{ACSA['agreement']} / AUS / mentioned",
        f"{ACSA['agreement']} / CAN / mentioned",
    ]


def parse_summary(report: str) -> list[list[str]]:
    table_html = report.split("<table>")[1].split("</table>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table_html) if "<td>" in row]


def test_the_markdown_report_says_the_same(pair):
    text = (pair / "report.md").read_text(encoding="utf-8")
    assert "**Status**: カナダ `CAN`: 署名 `signed` → 締結 `concluded` (written 加 (2024), カナダ (2025))" in text
    assert "NATO (国際機関 `organization`) — 合意 `agreed` (written 北大西洋条約機構)" in text
    collapsed = text.split("<details>\n<summary>")[1].split("</details>")[0]
    assert "**Added**: 物品役務相互提供協定 — カナダ `CAN` (written 加)" in collapsed
    assert "`in_force`" in text and "in\\_force" not in text  # a code is not escaped inside backticks


def test_the_report_says_which_words_and_names_it_uses(pair):
    first = re.search(r"<p>Compared.*?</p>", (pair / "report.html").read_text(encoding="utf-8")).group()
    assert "締結 <code>concluded</code>" in first and "カナダ <code>CAN</code>" in first
