"""What the review decisions mean for the diff: each change's row id and mark, and what is still open.

A change is reviewed when it was accepted itself (``hakusho review accept <its row_id>``), or when the
row it shows (the later edition's, or the earlier one's for a removal) carries a decision: accepted,
corrected or added by hand. The acceptance of a change remembers the values it saw (``was`` → ``value``):
a change that now reads otherwise, or that the diff no longer finds, leaves the acceptance stale. The
decisions come from the published decisions table (the dataset stage applied the rest); nothing here
reads the decisions file.
"""

from __future__ import annotations

from .. import rowids, schema
from ..decisions import ACCEPT, APPLIED, DIFF, MARKS, REJECT, STALE, change_problem
from . import labels
from .compare import CHANGES


def mark_changes(changes: list[dict], decided: list[dict], old: str, new: str) -> list[dict]:
    """Give each change of the pair its row_id and its decision; the stale acceptances of changes of this pair
    (decision rows with a ``detail``)."""
    spec = schema.table(CHANGES)
    accepted = {
        row[schema.ROW_ID]: row
        for row in decided
        if row["table"] == CHANGES and row[schema.ACTION] == ACCEPT and row["state"] == DIFF
    }
    found = set()
    stale = []
    for change, row_id in zip(changes, rowids.ids(spec, changes, old=old, new=new), strict=True):
        change[schema.ROW_ID] = row_id
        change[schema.DECISION] = change["row"].get(schema.DECISION, "")
        acceptance = accepted.get(row_id)
        if acceptance is None or rowids.key(spec, change, old=old, new=new) != acceptance["key"]:
            continue
        found.add(row_id)
        problem = change_problem(acceptance, change)
        if problem:
            stale.append(acceptance | {"detail": problem})
        else:
            change[schema.DECISION] = MARKS[ACCEPT]
    for row_id, acceptance in accepted.items():
        if row_id not in found and rowids.editions_of(spec, acceptance["key"]) == (old, new):
            stale.append(acceptance | {"detail": change_problem(acceptance, None)})
    return stale


def stale_decisions(decided: list[dict], old: str, new: str, changes_stale: list[dict]) -> list[dict]:
    """The stale decisions a pair's report lists: those about rows of its two editions, and its changes'."""
    tables = schema.load().tables
    about = [
        row
        for row in decided
        if row["state"] == STALE and set(rowids.editions_of(tables[row["table"]], row["key"])) & {old, new}
    ]
    return sorted(about + changes_stale, key=lambda row: (row["table"], row["key"], row[schema.ACTION], row["column"]))


def rejected_rows(decided: list[dict], old: str, new: str) -> list[dict]:
    """The rows of the pair's editions that decisions took out (the report lists them: they are in no table)."""
    tables = schema.load().tables
    return [
        row
        for row in decided
        if row[schema.ACTION] == REJECT
        and row["state"] == APPLIED
        and set(rowids.editions_of(tables[row["table"]], row["key"])) & {old, new}
    ]


def listed_apart(change: dict) -> bool:
    """A change the report lists apart and does not count (a mention without an event): not an open item."""
    return labels.apart(change["row"])


def report_values(changes: list[dict], review: list[dict], stale: list[dict], rejected: list[dict]) -> dict:
    """What the report's review status needs: the open items, counted, the stale decisions, the rejected rows."""
    open_changes = sum(1 for change in changes if not change[schema.DECISION] and not listed_apart(change))
    open_review = sum(1 for row in review if not row.get(schema.DECISION))
    return {
        "open_items": open_changes + open_review + len(stale),
        "open_changes": open_changes,
        "open_review": open_review,
        "stale": stale,
        "rejected": rejected,
    }
