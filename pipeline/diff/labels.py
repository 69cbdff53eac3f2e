"""The reader's words for the schema's codes: 締結 for ``concluded``, 国会承認 for ``diet_approved``.

The codes are the schema's enums (``schema.json``: what the tables hold and a program filters on); the
words a reader expects are data, ``pipeline/data/labels.csv``, one row per field and value, where a
domain expert can reword them (``tests/test_report_words.py`` fails when a value of a compared table
has no word). The report and the charts show both: the word, then the code.

The table's ``report`` column says where the report lists a change of a row holding that value: empty,
among the changes; ``apart``, in a collapsed list of its own, not counted as a change (a ``mentioned``
event, an agreement named with a partner but no event and no date, comes and goes with the wording).
"""

from __future__ import annotations

from functools import cache

from ..vocabulary import table

APART = "apart"


@cache
def _rows() -> dict[tuple[str, str], dict[str, str]]:
    return {(row["field"], row["value"]): row for row in table("labels.csv")}


def label(field: str, value: str) -> str:
    """The word for ``value`` of ``field`` (締結), or "" when the table has none."""
    row = _rows().get((field, value))
    return row["label"] if row else ""


def labelled(field: str, value: str) -> str:
    """The word, then the code: "締結 concluded" (the code alone when it has no word)."""
    word = label(field, value)
    return f"{word} {value}" if word else value


def apart(row: dict) -> bool:
    """True when a change of ``row`` is listed apart: one of its values is marked ``apart`` in the table."""
    return any(found["report"] == APART and row.get(field) == value for (field, value), found in _rows().items())
