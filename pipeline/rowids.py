"""Stable row ids: every published row named by what it says, not by where it sits.

A review decision (``pipeline/decisions.py``) must find its row again after a re-run, a new layout or
a rules change that moves rows around, so an id is never a position or a page. It is made from the
values of the fields the table's ``rowId`` declares in ``schema.json`` (agreements: edition,
agreement, partner, status):

- ``key``: those values joined with `` / `` (``2025 / 円滑化協定 / GBR / signed``), what a person reads;
- ``row_id``: the first ``ROW_ID_DIGITS`` hex digits of the SHA-256 of the table's name and the key,
  what a person types (``hakusho review accept 3f9a1c2b7d0e``). The decisions file keeps both, so a
  mistyped id (it does not match its key) is told apart from a row that is gone.

Two rows of one table with the same key (the same doubtful sentence on two pages of one file), or two
keys with the same digest (48 bits: about one chance in 50,000 for a table of 100,000 rows), are told
apart by a suffix in the table's order: ``3f9a1c2b7d0e``, ``3f9a1c2b7d0e-2``. A decision checks the
key of the row it finds, so a suffix that moved to another row is never applied to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd

from . import schema
from .editions import YEAR_FOLDER

ROW_ID_DIGITS = 12
KEY_SEP = " / "
SUFFIX_SEP = "-"


def key(table: schema.Table, row: Mapping[str, str], **parts: str) -> str:
    """The row's rowId values in words; ``parts`` fill ``{old}-{new}`` (the pair of a changes file)."""
    values = []
    for name in table.row_id:
        values.append(name.format(**parts) if "{" in name else str(schema.key_value(row, name)))
    return KEY_SEP.join(values)


def digest(table_name: str, row_key: str) -> str:
    """The id a key gives, before any suffix."""
    return hashlib.sha256(f"{table_name}\n{row_key}".encode()).hexdigest()[:ROW_ID_DIGITS]


def base(row_id: str) -> str:
    """A row id without its suffix (``3f9a1c2b7d0e-2`` → ``3f9a1c2b7d0e``)."""
    return row_id.split(SUFFIX_SEP, 1)[0]


def ids(table: schema.Table, rows: list[Mapping[str, str]], **parts: str) -> list[str]:
    """The row ids of ``rows``, in their order (which decides the suffixes of repeated keys)."""
    seen: dict[str, int] = {}
    found = []
    for row in rows:
        plain = digest(table.name, key(table, row, **parts))
        seen[plain] = seen.get(plain, 0) + 1
        found.append(plain if seen[plain] == 1 else f"{plain}{SUFFIX_SEP}{seen[plain]}")
    return found


def with_row_ids(table: schema.Table, frame: pd.DataFrame, **parts: str) -> pd.DataFrame:
    """``frame`` with its ``row_id`` column first (no change for a table without row ids)."""
    if not table.row_id:
        return frame
    frame = frame.drop(columns=[schema.ROW_ID], errors="ignore")
    frame.insert(0, schema.ROW_ID, ids(table, frame.to_dict("records"), **parts))
    return frame


def editions_of(table: schema.Table, row_key: str) -> tuple[str, ...]:
    """The editions a key belongs to: its first value, an edition or a pair (``2023-2025``); () if neither."""
    if not table.row_id or table.row_id[0] not in (schema.EDITION, schema.PAIR):
        return ()
    years = tuple(row_key.split(KEY_SEP, 1)[0].split("-"))
    expected = 1 if table.row_id[0] == schema.EDITION else 2
    return years if len(years) == expected and all(YEAR_FOLDER.match(year) for year in years) else ()
