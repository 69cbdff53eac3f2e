"""What changed between two editions: the diff rules of ``schema.json`` applied to the published tables.

A change is keyed by meaning, not by row position: each comparison of a table's diff rule names the
key fields that identify a row across editions (``agreement / partner``), the fields whose change is
reported, and the field an added or removed row shows. So a partner moving from signed to concluded
is one ``changed`` row on ``status``, not a removal plus an addition, and a page or section move is not
a change. When an edition has several rows for one key, the first by page is the one compared.

A comparison with ``largest`` (a share of mentions, which moves a little for every party in every
edition) reports a changed value only for the keys that moved most, each with ``_rank`` (1 = moved most).
"""

from __future__ import annotations

import pandas as pd

from .. import schema
from ..schema import Comparison, Table

CHANGES = "changes"
KEY_SEP = " / "
LIST_SEP = "; "
MOVE_DIGITS = 9  # decimals a numeric move is rounded to before it is compared with a rule's minimum


def change_kinds() -> tuple[str, ...]:
    """added, removed, changed: the changes table's ``change`` vocabulary, in its order."""
    return schema.table(CHANGES).field("change").values


def entities(frame: pd.DataFrame, edition: str, key: tuple[str, ...]) -> dict[str, dict]:
    """Rows of ``edition`` by key: the first by page, plus ``_all`` (every row of the key)."""
    rows = frame[frame["edition"] == edition].sort_values("page", kind="stable").to_dict("records")
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(KEY_SEP.join(schema.key_value(row, name) for name in key), dict(row, _all=[]))
        entry["_all"].append(row)
    return found


def value(comparison: Comparison, field: str, row: dict | None) -> str:
    """The compared value of ``field``: the first row's, or every value of the key (``allValues``)."""
    if row is None:
        return ""
    if field in comparison.all_values:
        return LIST_SEP.join(sorted({str(r[field]) for r in row["_all"] if r[field]}))
    return str(row[field])


def change_row(table: str, key: str, field: str, change: str, old: dict | None, new: dict | None, comparison) -> dict:
    """One row of changes.csv, plus what the report and the marks read: ``_old``/``_new``, the rows it came from,
    and ``row``, the row it shows (the later edition's, or the earlier one's for a removal)."""
    row = {"table": table, "key": key, "field": field, "change": change, "_old": old, "_new": new, "row": new or old}
    row["before"] = value(comparison, field, old)
    row["after"] = value(comparison, field, new)
    for side, source in (("old", old), ("new", new)):
        row[f"{side}_edition"] = source["edition"] if source else ""
        row[f"{side}_file"] = source["file"] if source else ""
        row[f"{side}_page"] = source["page"] if source else None
        row[f"{side}_printed_page"] = source["printed_page"] if source else ""
        row[f"{side}_row_id"] = source.get(schema.ROW_ID, "") if source else ""
    return row


def compare(table: str, comparison: Comparison, old: dict[str, dict], new: dict[str, dict]) -> list[dict]:
    """Changes between two {key: row} maps; without ``shows``, only changed fields (never additions)."""
    added, removed, changed = change_kinds()
    changes, moved = [], []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None or after is None:
            if comparison.shows is not None:
                kind = removed if after is None else added
                changes.append(change_row(table, key, comparison.shows, kind, before, after, comparison))
            continue
        for field in comparison.fields:
            if value(comparison, field, before) != value(comparison, field, after):
                (moved if comparison.largest else changes).append(
                    change_row(table, key, field, changed, before, after, comparison)
                )
    return changes + largest_moves(comparison, moved)


def largest_moves(comparison: Comparison, moved: list[dict]) -> list[dict]:
    """The ``comparison.largest`` changes of largest absolute move (at least ``minimum``), ranked by it."""

    def move(change: dict) -> float:  # rounded: 12.85 - 12.35 is a move of 0.5, not 0.4999…
        return round(abs(float(change["after"]) - float(change["before"])), MOVE_DIGITS)

    ranked = sorted((c for c in moved if move(c) >= comparison.minimum), key=lambda c: (-move(c), c["key"]))
    return [dict(change, _rank=rank) for rank, change in enumerate(ranked[: comparison.largest], start=1)]


def table_changes(table: Table, frame: pd.DataFrame, old: str, new: str) -> list[dict]:
    """Every change of ``table`` between editions ``old`` and ``new``, comparison by comparison."""
    changes = []
    for comparison in table.comparisons:
        before, after = entities(frame, old, comparison.key), entities(frame, new, comparison.key)
        changes += compare(table.name, comparison, before, after)
    return changes


def all_changes(frames: dict[str, pd.DataFrame], old: str, new: str) -> list[dict]:
    """Every change between two editions, sorted by table (diff order), key, field, change."""
    compared = schema.load().compared()
    rank = {table.name: i for i, table in enumerate(compared)}
    changes = [change for table in compared for change in table_changes(table, frames[table.name], old, new)]
    return sorted(changes, key=lambda c: (rank[c["table"]], c["key"], c["field"], c["change"]))


def changes_frame(changes: list[dict]) -> pd.DataFrame:
    """The published columns of ``changes`` (pages stay numbers or None; formats.typed makes them Int64)."""
    columns = schema.table(CHANGES).columns
    return pd.DataFrame([{name: c[name] for name in columns} for c in changes], columns=columns)
