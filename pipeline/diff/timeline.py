"""Across all editions: each agreement partner's timeline (a table) and the partners-by-edition chart.

The statuses, and their order (the order an agreement moves through them), are those of
``agreements.status`` in ``schema.json``; the timeline's ``first_<status>`` columns are generated from
the same list, so a new status appears in the table, the chart and its legend without a code change.
The chart is drawn in the report's style (``charts``: the bundled font by file path, the sizes), with the
statuses in the reader's words (``labels``: 締結 concluded), and comes out byte-identical on every machine.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import schema
from ..formats import sort_rows
from ..rowids import with_row_ids
from . import charts, labels

TIMELINE = "agreement_timeline"
CHART = "partners_by_edition"

# Bar colours, given to the statuses in their schema order (negotiating, agreed, signed, concluded,
# in_force, other); a status beyond the palette is grey.
STATUS_PALETTE = ("#bdbdbd", "#9ecae1", "#fdae6b", "#6baed6", "#31a354", "#756bb1")
OTHER_COLOUR = "#888888"
CHART_COLUMNS = 3  # panels per row
PANEL_HEIGHT = 2.4  # inches, one row of panels
CHART_MARGINS = 1.2  # inches: the chart's title, the axis labels and the legend
TITLE_CHARS = 18  # characters of a panel's title per line (about a panel's width at charts.TITLE_PT)
EDITION_TICKS = 6  # edition labels a panel's axis holds side by side; with more editions, every k-th


def status_field() -> tuple[str, str]:
    """(table, field) whose values the timeline follows: what its ``fieldsPerValue`` is ``of``."""
    table, field = schema.table(TIMELINE).family_of.split(".")
    return table, field


def statuses() -> tuple[str, ...]:
    """The statuses in the order an agreement moves through them."""
    table, field = status_field()
    return schema.table(table).field(field).values


def timeline(agreements: pd.DataFrame) -> pd.DataFrame:
    """Per agreement and partner: first and last edition listing it, and the first edition of each status."""
    spec = schema.table(TIMELINE)
    _, status = status_field()
    records = []
    rows = agreements.sort_values(["edition", "page"], kind="stable").to_dict("records")
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        groups.setdefault(spec.primary_key_of(row), []).append(row)
    for rows_of in groups.values():
        last = rows_of[-1]
        record = {
            "agreement": last["agreement"],
            "abbr": last["abbr"],
            "country": last["country"],
            "iso3": last["iso3"],
            "first_edition": rows_of[0]["edition"],
            "last_edition": last["edition"],
            "editions": str(len({row["edition"] for row in rows_of})),
            "last_status": next(row[status] for row in rows_of if row["edition"] == last["edition"]),
        }
        for value, column in spec.family.items():
            record[column] = next((row["edition"] for row in rows_of if row[status] == value), "")
        records.append(record)
    return with_row_ids(spec, sort_rows(pd.DataFrame(records, columns=spec.made_columns, dtype=str), spec))


def panel_title(name: str, abbr: str) -> str:
    """An agreement's name and abbreviation, cut into lines of ``TITLE_CHARS`` characters (Japanese has no spaces)."""
    title = f"{name} ({abbr})" if abbr and abbr not in name else name
    return "\n".join(title[i : i + TITLE_CHARS] for i in range(0, len(title), TITLE_CHARS))


def partner_counts(agreements: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    """{(agreement, status, edition): number of distinct partners}."""
    _, status = status_field()
    counts: dict[tuple[str, str, str], set] = {}
    for row in agreements.to_dict("records"):
        counts.setdefault((row["agreement"], row[status], row["edition"]), set()).add(schema.partner(row))
    return {key: len(partners) for key, partners in counts.items()}


def status_colour(status: str) -> str:
    order = statuses()
    index = order.index(status) if status in order else len(STATUS_PALETTE)
    return STATUS_PALETTE[index] if index < len(STATUS_PALETTE) else OTHER_COLOUR


def draw_chart(agreements: pd.DataFrame, editions: list[str]) -> charts.Chart:
    """The partners-by-edition chart: one panel per agreement, bars stacked by status, in the report's style."""
    return charts.draw(*partners_chart(agreements, editions))


def partners_chart(agreements: pd.DataFrame, editions: list[str]):
    """What ``charts.draw`` needs for the partners-by-edition chart: (paint, width, height)."""
    names = sorted(set(agreements["agreement"]))
    abbrs = {}
    for name, abbr in zip(agreements["agreement"], agreements["abbr"], strict=True):
        abbrs[name] = abbrs.get(name) or abbr
    titles = {name: panel_title(name, abbrs[name]) for name in names}
    _, status = status_field()
    seen = set(agreements[status])
    shown = [s for s in statuses() if s in seen] + sorted(seen - set(statuses()))
    counts = partner_counts(agreements)
    rows = max(1, math.ceil(len(names) / CHART_COLUMNS))

    def paint(figure) -> None:
        chart_panels(figure, titles, counts, shown, editions)

    return paint, charts.COLUMN_WIDTH, PANEL_HEIGHT * rows + CHART_MARGINS


def chart_panels(figure, titles: dict[str, str], counts, statuses_shown: list[str], editions: list[str]) -> None:
    """Draw the panels (one per agreement, ``titles`` name → title) of the partners-by-edition chart on ``figure``."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    names = sorted(titles)
    ncols = max(1, min(CHART_COLUMNS, len(names)))
    axes = figure.subplots(max(1, math.ceil(len(names) / ncols)), ncols, squeeze=False).ravel()
    if not names:
        axes[0].text(0.5, 0.5, "No agreements in the dataset", ha="center", va="center")
        axes[0].set_axis_off()
    positions = range(len(editions))
    step = max(1, math.ceil(len(editions) / EDITION_TICKS))
    ticks = sorted({*positions[::-step]})  # every step-th edition, counted back from the newest
    _, field = status_field()
    for index, (ax, name) in enumerate(zip(axes, names, strict=False)):
        bottom = [0] * len(editions)
        for status in statuses_shown:
            heights = [counts.get((name, status, edition), 0) for edition in editions]
            ax.bar(positions, heights, bottom=bottom, color=status_colour(status), width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(titles[name])
        ax.set_xticks(ticks, [editions[i] for i in ticks])
        ax.set_xlim(-0.6, len(editions) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        if index % ncols == 0:
            ax.set_ylabel("Partners")
        if index + ncols >= len(names):  # no panel below it
            ax.set_xlabel("Edition")
    for ax in axes[max(len(names), 1) :]:
        ax.set_axis_off()
    handles = [Patch(color=status_colour(s), label=labels.labelled(field, s)) for s in statuses_shown]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    figure.suptitle("Partners per agreement, by edition and status")
