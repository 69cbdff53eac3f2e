"""Row ids: made from what a row says (the schema's rowId), never from where it sits; the same fact keeps its id
through a re-run or a new layout, another fact (another status, another edition) gets another one."""

from __future__ import annotations

import hashlib

import pytest

from pipeline import rowids, schema

GBR = {"edition": "2025", "agreement": "円滑化協定", "country": "英国", "iso3": "GBR", "status": "signed", "page": "3"}
NATO = {"edition": "2025", "agreement": "円滑化協定", "country": "NATO", "iso3": "", "status": "signed", "page": "3"}
EVENT = {"edition": "2019", "agreement": "物品役務相互提供協定", "country": "米", "iso3": "USA", "event": "signed",
         "date": "2016-09", "page": "1"}  # fmt: skip
REVIEW = {"edition": "2025", "table": "pages", "file": "a.pdf", "page": "7", "reason": "no_text", "text": "no text"}
MENTION = {"edition": "2025", "chapter_index": "4", "chapter": "第III部 > 第3章", "party": "米国", "page": "12"}
CHANGE = {"table": "agreements", "key": "円滑化協定 / GBR", "field": "status", "change": "changed"}

# (table, row, path parts, its key in words)
KEYS = (
    ("agreements", GBR, {}, "2025 / 円滑化協定 / GBR / signed"),
    ("agreements", NATO, {}, "2025 / 円滑化協定 / NATO / signed"),  # partner: the name when there is no code
    ("agreement_events", EVENT, {}, "2019 / 物品役務相互提供協定 / USA / signed / 2016-09"),
    ("review", REVIEW, {}, "2025 / pages / a.pdf / no_text / no text"),  # not the page
    ("country_mentions", MENTION, {}, "2025 / 第III部 > 第3章 / 米国"),  # the chapter, not its position
    ("changes", CHANGE, {"old": "2024", "new": "2025"}, "2024-2025 / agreements / 円滑化協定 / GBR / status / changed"),
    ("editions", {"edition": "2025"}, {}, "2025"),
    ("agreement_timeline", GBR, {}, "円滑化協定 / GBR"),
)


@pytest.mark.parametrize(("table", "row", "parts", "key"), KEYS)
def test_the_key_is_the_row_id_fields_in_words(table, row, parts, key):
    spec = schema.table(table)
    assert rowids.key(spec, row, **parts) == key
    expected = hashlib.sha256(f"{table}\n{key}".encode()).hexdigest()[: rowids.ROW_ID_DIGITS]
    assert rowids.ids(spec, [row], **parts) == [expected]


# (table, row, an edit, whether the id stays)
EDITS = (
    ("agreements", GBR, {"page": "310", "printed_page": "141", "evidence": "another sentence"}, True),
    ("agreements", GBR, {"country": "イギリス"}, True),  # another name of the same partner
    ("agreements", GBR, {"status": "concluded"}, False),  # "GBR signed" is not "GBR concluded"
    ("agreements", GBR, {"edition": "2026"}, False),  # the next edition's row is another row
    ("review", REVIEW, {"page": "8"}, True),
    ("country_mentions", MENTION, {"chapter_index": "5", "mentions": "9", "page": "14"}, True),
    ("agreement_events", EVENT, {"date": "2016-10"}, False),
)


@pytest.mark.parametrize(("table", "row", "edit", "stays"), EDITS)
def test_what_moves_with_the_layout_does_not_change_the_id(table, row, edit, stays):
    spec = schema.table(table)
    assert (rowids.ids(spec, [row]) == rowids.ids(spec, [row | edit])) is stays


def test_rows_with_the_same_key_are_told_apart_in_their_order():
    spec = schema.table("review")
    first, second = rowids.ids(spec, [REVIEW, REVIEW | {"page": "9"}, GBR | REVIEW | {"text": "other"}])[:2]
    assert second == f"{first}-2" and rowids.base(second) == first


def test_every_table_but_decisions_has_a_row_id_first():
    for table in schema.load().tables.values():
        if table.name == "decisions":
            assert schema.ROW_ID not in table.columns[:1] and not table.row_id
        else:
            assert table.columns[0] == schema.ROW_ID and table.made_columns[0] != schema.ROW_ID, table.name
        assert (table.columns[-1] == schema.DECISION) is bool(table.actions), table.name


@pytest.mark.parametrize(
    ("table", "key", "editions"),
    (
        ("agreements", "2025 / 円滑化協定 / GBR / signed", ("2025",)),
        ("changes", "2024-2025 / agreements / x / status / added", ("2024", "2025")),
        ("agreements", "円滑化協定 / GBR", ()),
        ("agreement_timeline", "円滑化協定 / GBR", ()),  # across editions
    ),
)
def test_the_editions_of_a_key(table, key, editions):
    assert rowids.editions_of(schema.table(table), key) == editions
