"""Across all editions: each agreement partner's timeline (a table) and the partners-by-edition chart.

The statuses, and their order (the order an agreement moves through them), are those of
``agreements.status`` in ``schema.json``; the timeline's ``first_<status>`` columns are generated from
the same list, so a new status appears in the table, the chart and its legend without a code change.
Everything is deterministic: fixed SVG hash salt, no PNG/SVG metadata.
"""

from __future__ import annotations

import io
import math

import pandas as pd

from .. import schema
from ..formats import sort_rows
from ..rowids import with_row_ids

TIMELINE = "agreement_timeline"
CHART = "partners_by_edition"

# Bar colours, given to the statuses in their schema order (negotiating, agreed, signed, concluded,
# in_force, other); a status beyond the palette is grey.
STATUS_PALETTE = ("#bdbdbd", "#9ecae1", "#fdae6b", "#6baed6", "#31a354", "#756bb1")
OTHER_COLOUR = "#888888"
# Fonts with Japanese glyphs, best first; without any of them the chart uses ASCII labels.
CJK_FONTS = (
    "IPAexGothic", "IPAGothic", "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP",
    "Source Han Sans", "TakaoPGothic", "VL PGothic", "Droid Sans Japanese",
)  # fmt: skip
CHART_COLUMNS = 3
CHART_DPI = 100
CHART_CELL_INCHES = (4.0, 2.6)
CHART_MIN_WIDTH = 6.5  # inches: room for the legend of six statuses
SVG_HASH_SALT = "hakusho"


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
        groups.setdefault(tuple(schema.key_value(row, name) for name in spec.primary_key), []).append(row)
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


def cjk_font() -> str | None:
    """The first installed font of CJK_FONTS, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def chart_labels(agreements: pd.DataFrame, japanese: bool) -> dict[str, str]:
    """Agreement → chart label: the name itself, or (no CJK font) its ASCII abbreviation or ``agreement N``."""
    labels = {}
    for number, name in enumerate(sorted(set(agreements["agreement"])), start=1):
        abbr = agreements.loc[agreements["agreement"] == name, "abbr"].iloc[0]
        if japanese or name.isascii():
            labels[name] = name
        else:
            labels[name] = abbr if abbr and abbr.isascii() else f"agreement {number}"
    return {name: label.replace("$", r"\$") for name, label in labels.items()}


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


def draw_chart(agreements: pd.DataFrame, editions: list[str]) -> tuple[bytes, bytes, dict[str, str]]:
    """The partners-by-edition chart as (PNG, SVG, labels): one panel per agreement, bars stacked by status."""
    font = cjk_font()
    labels = chart_labels(agreements, japanese=font is not None)
    counts = partner_counts(agreements)
    _, status = status_field()
    seen = set(agreements[status])
    shown = [s for s in statuses() if s in seen] + sorted(seen - set(statuses()))
    png, svg = figure_bytes(lambda figure_class: chart_figure(figure_class, labels, counts, shown, editions), font)
    return png, svg, labels


def figure_bytes(make_figure, font: str | None) -> tuple[bytes, bytes]:
    """(PNG, SVG) of ``make_figure(Figure)``, drawn under the settings every chart of the report shares.

    The CJK font (if any) first, a fixed SVG hash salt and no metadata: the same data give the same bytes.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc = {"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        figure = make_figure(Figure)
        FigureCanvasAgg(figure)
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=CHART_DPI, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def chart_figure(figure_class, labels, counts, statuses_shown, editions):
    """Lay out the panels (one per agreement) of the partners-by-edition chart."""
    from matplotlib.patches import Patch

    names = sorted(labels)
    ncols = max(1, min(CHART_COLUMNS, len(names)))
    nrows = max(1, math.ceil(len(names) / ncols))
    width, height = CHART_CELL_INCHES
    figure = figure_class(figsize=(max(width * ncols, CHART_MIN_WIDTH), height * nrows + 1.0), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False).ravel()
    if not names:
        axes[0].text(0.5, 0.5, "No agreements in the dataset", ha="center", va="center")
        axes[0].set_axis_off()
    for ax, name in zip(axes, names, strict=False):
        bottom = [0] * len(editions)
        for status in statuses_shown:
            heights = [counts.get((name, status, edition), 0) for edition in editions]
            ax.bar(editions, heights, bottom=bottom, color=status_colour(status), label=status, width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(labels[name], fontsize=10)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(labelsize=8)
    for ax in axes[max(len(names), 1) :]:
        ax.set_axis_off()
    handles = [Patch(color=status_colour(s), label=s) for s in statuses_shown]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    figure.suptitle("Partners per agreement by edition and status", fontsize=11)
    return figure
