"""Columns: the gutters of a page found from the (x0, x1) of its lines (lines.find_gutters), and which column a
line is in (lines.column_of). One, two or three columns, or a main column and a sidebar; spanning lines (a
heading across the columns) and ragged or short lines do not make a gutter."""

from __future__ import annotations

import pytest

from pipeline.lines import column_of, find_gutters

A4_WIDTH = 595.0


def _lines(*columns: tuple[float, float], count: int = 20) -> list[tuple[float, float]]:
    """``count`` full lines in each column, and every fifth one short (a paragraph's last line)."""
    spans = []
    for x0, x1 in columns:
        spans += [(x0, x1 if i % 5 else x0 + (x1 - x0) * 0.4) for i in range(count)]
    return spans


# (case, line spans, gutters expected: each within 8 pt of the middle of the white between the columns)
GUTTERS = (
    ("one column", _lines((42, 553)), []),
    ("two columns", _lines((42, 290), (305, 553)), [297.5]),
    ("three columns", _lines((42, 206), (215, 380), (389, 553)), [210.5, 384.5]),
    ("main column and a sidebar", _lines((42, 400), (415, 553)), [407.5]),
    ("two columns under a spanning heading", _lines((42, 290), (305, 553)) + [(42, 400)], [297.5]),
    ("three columns under a title across all", _lines((42, 206), (215, 380), (389, 553)) + [(42, 553)], [210.5, 384.5]),
    ("main column and a narrow sidebar of notes", _lines((42, 426), (434, 553), count=10), [430.0]),
    ("a list of short items, left-aligned", [(42, 42 + 20 * (i % 7 + 3)) for i in range(16)], []),
    (
        "a list of short items under a running head, beside a sidebar",
        [(42, 42 + 10 * (i % 7 + 8)) for i in range(16)] + [(266, 330)] + _lines((42, 426), (434, 553), count=4),
        [430.0],
    ),
    ("too few lines to tell", [(42, 290), (305, 553), (42, 290)], []),
)
# (x0, x1 of a line, gutters, its column: 1 leftmost, 0 across a gutter)
COLUMNS = (
    (42, 290, [297.5], 1),
    (305, 553, [297.5], 2),
    (42, 553, [297.5], 0),
    (215, 380, [210.5, 384.5], 2),
    (389, 553, [210.5, 384.5], 3),
    (42, 380, [210.5, 384.5], 0),
    (42, 553, [], 1),
)


@pytest.mark.parametrize(("case", "spans", "expected"), GUTTERS, ids=[case for case, _, _ in GUTTERS])
def test_gutters(case, spans, expected):
    found = find_gutters(spans, 0.0, A4_WIDTH)
    assert len(found) == len(expected)
    assert all(abs(got - want) <= 8 for got, want in zip(found, expected, strict=True))


@pytest.mark.parametrize(("x0", "x1", "gutters", "column"), COLUMNS)
def test_column_of(x0, x1, gutters, column):
    assert column_of(x0, x1, gutters) == column
