"""Attention by party across editions: each edition's mentions and shares (``mention_shares``) and their chart.

``country_mentions`` counts mentions per chapter. Chapters are renamed, split and resized from edition to
edition, and the book grows, so neither a chapter row nor a raw count compares across editions. What does is
a party's **share of all party mentions of the edition**: ``mention_shares`` has one row per edition and
party (mentions summed over the chapters, share in percent, rank), and the diff rule of schema.json reports
the parties whose share moved most between two editions (in percentage points) and the parties named in
one edition and not the other. The share is chosen over mentions per 10,000 characters because it needs
no denominator outside the table (a chapter that names no party has no row in ``country_mentions``, so the
characters of the whole book are not there) and because it answers the question asked of these books:
whom does this edition talk about, relative to the others.

**Japan is left out** (of the rows, the shares' denominator and the chart): every 日米-style prefix names
it (日米 counts Japan and the US, 在日米軍 Japan and the US), so its count follows how often the book writes
such prefixes and would top every edition; its counts stay in ``country_mentions``.

The chart draws each edition's share for the ten parties with the highest mean share over all editions
(an edition where a party is not named counts 0), in the look every chart of the report shares
(``charts.draw``: the bundled Japanese font, by file).
"""

from __future__ import annotations

import math

import pandas as pd

from .. import schema
from ..formats import sort_rows
from ..rowids import with_row_ids
from . import charts

SHARES = "mention_shares"
CHART = "mention_shares_by_edition"
SELF_ISO3 = "JPN"  # the book's own country: left out (see above)
TOP_PARTIES = 10
SHARE_DECIMALS = 2

# One colour and one marker per line (the ten parties), so that lines stay apart in grey print too.
LINE_COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
LINE_MARKERS = "osD^vP*Xh<"
CHART_HEIGHT = 4.8  # inches; the width is the report's column
ROTATE_TICKS_FROM = 12  # editions: from this many on, the year labels are turned 45°


def mention_shares(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per edition and party (Japan left out): mentions, chapters, share of the edition, rank.

    ``mentions`` is ``country_mentions`` as published. Where the party is first named (its first chapter)
    is the row's provenance. Rows as strings (``formats.typed`` types them), sorted by the schema's sortKey.
    """
    spec = schema.table(SHARES)
    rows = mentions[mentions["iso3"] != SELF_ISO3].to_dict("records")
    rows.sort(key=lambda row: (row["edition"], int(row["chapter_index"])))
    parties: dict[tuple[str, str], dict] = {}
    for row in rows:
        entry = parties.setdefault(
            (row["edition"], row["party"]),
            {name: row[name] for name in spec.made_columns if name in row} | {"mentions": 0, "chapters": 0},
        )
        entry["mentions"] += int(row["mentions"])
        entry["chapters"] += 1
    totals: dict[str, list[int]] = {}
    for (edition, _), entry in parties.items():
        totals.setdefault(edition, []).append(entry["mentions"])
    records = []
    for (edition, _), entry in parties.items():
        counts = totals[edition]
        entry["edition_mentions"] = sum(counts)
        entry["share_percent"] = f"{100 * entry['mentions'] / sum(counts):.{SHARE_DECIMALS}f}"
        entry["rank"] = 1 + sum(1 for count in counts if count > entry["mentions"])
        records.append({name: str(entry[name]) for name in spec.made_columns})
    return with_row_ids(spec, sort_rows(pd.DataFrame(records, columns=spec.made_columns, dtype=str), spec))


def share_series(shares: pd.DataFrame, editions: list[str]) -> dict[str, list[float]]:
    """{party: its share in each edition}: 0 where the edition does not name it, NaN where it names no party."""
    named = set(shares["edition"])
    values = {(row["edition"], row["party"]): float(row["share_percent"]) for row in shares.to_dict("records")}
    return {
        party: [values.get((edition, party), 0.0) if edition in named else math.nan for edition in editions]
        for party in sorted(set(shares["party"]))
    }


def top_parties(series: dict[str, list[float]], count: int = TOP_PARTIES) -> list[str]:
    """The ``count`` parties of highest mean share over the editions (ties: by name)."""

    def mean(values: list[float]) -> float:
        known = [value for value in values if not math.isnan(value)]
        return sum(known) / len(known) if known else 0.0

    return sorted(series, key=lambda party: (-mean(series[party]), party))[:count]


def draw_chart(shares: pd.DataFrame, editions: list[str]) -> charts.Chart:
    """The share chart: one line per party of the ten most named, over every edition."""
    series = share_series(shares, editions)
    lines = [(party, series[party]) for party in top_parties(series)]
    return charts.draw(lambda figure: paint_chart(figure, lines, editions), charts.COLUMN_WIDTH, CHART_HEIGHT)


def paint_chart(figure, lines: list[tuple[str, list[float]]], editions: list[str]) -> None:
    """Draw the chart on ``figure``: x the editions (by year, so gaps between editions show), y the share in %."""
    ax = figure.subplots()
    years = [int(edition) for edition in editions]
    for i, (label, values) in enumerate(lines):
        ax.plot(
            years, values, label=label, color=LINE_COLOURS[i % len(LINE_COLOURS)],
            marker=LINE_MARKERS[i % len(LINE_MARKERS)], markersize=5, linewidth=1.6,
        )  # fmt: skip
    if not lines:
        ax.text(0.5, 0.5, "No party mentions in the dataset", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks(years, editions, rotation=45 if len(years) >= ROTATE_TICKS_FROM else 0)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Edition")
    ax.set_ylabel("Share of all party mentions (%)")
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    if lines:
        figure.legend(loc="outside right upper", frameon=False, title="Party")
    figure.suptitle("Share of party mentions by edition: the ten most-named parties (Japan left out)")
