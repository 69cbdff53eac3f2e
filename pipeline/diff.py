"""The diff stage: what changed between editions, as a table, a readable report and a timeline.

Users read the white paper once a year and want to know what is new: which partners an agreement
gained or lost, whose status moved, which keyword definitions were reworded. This stage reads only
the published tables in OUTPUT (data flows one way: it never looks at BUILD) and writes:

- ``OUTPUT/diff/<old>-<new>/changes.csv`` (+ ``.parquet``): one row per change, keyed by meaning
  rather than by row position, so that a partner moving from signed to concluded is one ``changed``
  row, not a removal plus an addition;
- ``OUTPUT/diff/<old>-<new>/report.md`` and ``report.html``: the same changes for a reader, every
  entry with the edition and page it came from and a link ``file.pdf#page=N`` (relative: put the
  PDFs next to the report to follow it); the HTML is self-contained (inline CSS, chart as base64 PNG);
- ``OUTPUT/agreement_timeline.csv`` (+ ``.parquet``) and ``OUTPUT/diff/partners_by_edition.png``
  (+ ``.svg``) over all editions.

Keys (``KEY_SEP`` joins their parts): agreements ``agreement / partner`` (partner = iso3, or the
country name when iso3 is empty), compared on status, with as_of compared once per agreement
(key ``agreement``); agreement_events ``agreement / partner / event``, compared on date (all dates
of the key joined with "; "); keywords ``term`` on definition, abbr, expansion; acronyms ``abbr`` on
term, expansion. When an edition has several rows for one key, the first by page is the one compared.
Added and removed rows name the table's main field (status, date, definition, expansion) with its value.

Everything is deterministic: sorted rows, no timestamps, fixed SVG hash salt, no PNG/SVG metadata.
"""

from __future__ import annotations

import base64
import difflib
import html
import io
import math
import re
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .dataset import arrow_schema, columns, csv_bytes, parquet_bytes
from .errors import HakushoError
from .files import write_bytes, write_text

DIFF_FOLDER = "diff"
TIMELINE = "agreement_timeline"
CHART = "partners_by_edition"
KEY_SEP = " / "
LIST_SEP = "; "
DATASET_REMEDY = "run `hakusho dataset` first"

# Tables compared, in the order they appear in changes.csv and the report.
COMPARED = ("agreements", "agreement_events", "keywords", "acronyms")
# Fields compared per table, and the main field that added/removed rows show.
FIELDS = {
    "agreements": ("status",),
    "agreement_events": ("date",),
    "keywords": ("definition", "abbr", "expansion"),
    "acronyms": ("term", "expansion"),
}
MAIN_FIELD = {"agreements": "status", "agreement_events": "date", "keywords": "definition", "acronyms": "expansion"}
CHANGE_KINDS = ("added", "removed", "changed")
CHANGE_COLUMNS = [
    "table", "key", "field", "before", "after", "change",
    "old_edition", "old_file", "old_page", "old_printed_page",
    "new_edition", "new_file", "new_page", "new_printed_page",
]  # fmt: skip
CHANGE_INTS = ["old_page", "new_page"]

# Statuses in the order an agreement usually moves through them (the timeline's first_* columns).
STATUS_ORDER = ("negotiating", "agreed", "signed", "concluded", "in_force", "other")
STATUS_COLOURS = {
    "negotiating": "#bdbdbd",
    "agreed": "#9ecae1",
    "signed": "#fdae6b",
    "concluded": "#6baed6",
    "in_force": "#31a354",
    "other": "#756bb1",
}
TIMELINE_COLUMNS = [
    "agreement", "abbr", "country", "iso3", "first_edition", "last_edition", "editions", "last_status",
    *(f"first_{status}" for status in STATUS_ORDER),
]  # fmt: skip
TIMELINE_INTS = ["editions"]

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

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|])")
HTML_STYLE = """
body { font-family: "Hiragino Sans", "Noto Sans CJK JP", "IPAexGothic", "Yu Gothic", sans-serif;
       max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.6; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
del { background: #fdd; color: #900; } ins { background: #dfd; color: #060; text-decoration: none; }
a.ref { font-size: 0.85em; color: #555; } .none { color: #666; font-style: italic; }
img { max-width: 100%; }
"""

# --- reading OUTPUT -------------------------------------------------------------------------------


def read_published(output: Path, table: str) -> pd.DataFrame:
    """A published table as strings (``page`` as int64); a missing file is a HakushoError."""
    path = output / f"{table}.csv"
    if not path.is_file():
        raise HakushoError(f"{path}: missing; {DATASET_REMEDY}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    missing = [name for name in columns(table) if name not in frame.columns]
    if missing:
        raise HakushoError(f"{path}: no column {', '.join(missing)}; {DATASET_REMEDY.removesuffix(' first')} again")
    if "page" in frame.columns:
        frame["page"] = pd.to_numeric(frame["page"]).astype("int64")
    return frame


def edition_pairs(present: list[str], old: str | None, new: str | None, output: Path) -> list[tuple[str, str]]:
    """The pairs to compare: every consecutive pair of ``present``, or ``(old, new)`` once checked."""
    if old is None and new is None:
        return list(zip(present, present[1:], strict=False))
    if old is None or new is None:
        raise HakushoError("give two editions (hakusho diff 2024 2025) or none (every consecutive pair)")
    for year in (old, new):
        if year not in present:
            raise HakushoError(
                f"{output / 'editions.csv'}: no edition {year}; editions present: {', '.join(present) or 'none'}"
            )
    if old >= new:
        raise HakushoError(f"give the earlier edition first: hakusho diff {min(old, new)} {max(old, new)}")
    return [(old, new)]


# --- comparing ------------------------------------------------------------------------------------


def partner(row: dict) -> str:
    """The partner's identity: its ISO3 code, or its name for organizations and unknown states."""
    return row["iso3"] or row["country"]


def entity_key(table: str, row: dict) -> str:
    """The meaningful key of a row of ``table``."""
    if table == "agreements":
        return KEY_SEP.join((row["agreement"], partner(row)))
    if table == "agreement_events":
        return KEY_SEP.join((row["agreement"], partner(row), row["event"]))
    return row["term"] if table == "keywords" else row["abbr"]


def entities(frame: pd.DataFrame, edition: str, key) -> dict[str, dict]:
    """Rows of ``edition`` by key: the first by page, plus ``_all`` (every row of the key)."""
    rows = frame[frame["edition"] == edition].sort_values("page", kind="stable").to_dict("records")
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(key(row), dict(row, _all=[]))
        entry["_all"].append(row)
    return found


def joined(rows: list[dict], field: str) -> str:
    """The distinct non-empty values of ``field`` over ``rows``, sorted, joined with LIST_SEP."""
    return LIST_SEP.join(sorted({row[field] for row in rows if row[field]}))


def change_row(table: str, key: str, field: str, change: str, old: dict | None, new: dict | None) -> dict:
    """One row of changes.csv (plus ``_old``/``_new``, the rows it came from, for the report)."""
    row = {"table": table, "key": key, "field": field, "change": change, "_old": old, "_new": new}
    row["before"] = value(table, field, old)
    row["after"] = value(table, field, new)
    for side, source in (("old", old), ("new", new)):
        row[f"{side}_edition"] = source["edition"] if source else ""
        row[f"{side}_file"] = source["file"] if source else ""
        row[f"{side}_page"] = source["page"] if source else None
        row[f"{side}_printed_page"] = source["printed_page"] if source else ""
    return row


def value(table: str, field: str, row: dict | None) -> str:
    """The compared value of ``field``: every date of the key for events and every as_of of an agreement."""
    if row is None:
        return ""
    if field == "as_of" or (table == "agreement_events" and field == "date"):
        return joined(row["_all"], field)
    return row[field]


def compare(table: str, old: dict[str, dict], new: dict[str, dict], fields: tuple[str, ...], main: str | None):
    """Changes between two {key: row} maps; ``main=None`` reports only changed fields, never additions."""
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None or after is None:
            if main is not None:
                changes.append(change_row(table, key, main, "removed" if after is None else "added", before, after))
            continue
        for field in fields:
            if value(table, field, before) != value(table, field, after):
                changes.append(change_row(table, key, field, "changed", before, after))
    return changes


def table_changes(table: str, frame: pd.DataFrame, old: str, new: str) -> list[dict]:
    """Every change of ``table`` between editions ``old`` and ``new``."""

    def key(row: dict) -> str:
        return entity_key(table, row)

    def by_agreement(row: dict) -> str:
        return row["agreement"]

    changes = compare(table, entities(frame, old, key), entities(frame, new, key), FIELDS[table], MAIN_FIELD[table])
    if table == "agreements":
        changes += compare(
            table, entities(frame, old, by_agreement), entities(frame, new, by_agreement), ("as_of",), None
        )
    return changes


def all_changes(tables: dict[str, pd.DataFrame], old: str, new: str) -> list[dict]:
    """Every change between two editions, sorted by table (COMPARED order), key, field, change."""
    changes = [change for table in COMPARED for change in table_changes(table, tables[table], old, new)]
    return sorted(changes, key=lambda c: (COMPARED.index(c["table"]), c["key"], c["field"], c["change"]))


def changes_frame(changes: list[dict]) -> pd.DataFrame:
    """The public columns of ``changes``; pages as nullable Int64 (empty in CSV, null in Parquet)."""
    frame = pd.DataFrame([{name: c[name] for name in CHANGE_COLUMNS} for c in changes], columns=CHANGE_COLUMNS)
    for name in CHANGE_COLUMNS:
        frame[name] = frame[name].astype("Int64") if name in CHANGE_INTS else frame[name].astype(str)
    return frame


# --- timeline and chart ---------------------------------------------------------------------------


def timeline(agreements: pd.DataFrame) -> pd.DataFrame:
    """Per agreement and partner: first and last edition listing it, and the first edition of each status."""
    records = []
    rows = agreements.sort_values(["edition", "page"], kind="stable").to_dict("records")
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["agreement"], partner(row)), []).append(row)
    for rows_of in groups.values():
        last = rows_of[-1]
        record = {
            "agreement": last["agreement"],
            "abbr": last["abbr"],
            "country": last["country"],
            "iso3": last["iso3"],
            "first_edition": rows_of[0]["edition"],
            "last_edition": last["edition"],
            "editions": len({row["edition"] for row in rows_of}),
            "last_status": next(row["status"] for row in rows_of if row["edition"] == last["edition"]),
        }
        for status in STATUS_ORDER:
            record[f"first_{status}"] = next((row["edition"] for row in rows_of if row["status"] == status), "")
        records.append(record)
    frame = pd.DataFrame(records, columns=TIMELINE_COLUMNS)
    frame = frame.sort_values(["agreement", "iso3", "country"], kind="stable").reset_index(drop=True)
    for name in TIMELINE_COLUMNS:
        frame[name] = frame[name].astype("int64") if name in TIMELINE_INTS else frame[name].astype(str)
    return frame


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
    counts: dict[tuple[str, str, str], set] = {}
    for row in agreements.to_dict("records"):
        counts.setdefault((row["agreement"], row["status"], row["edition"]), set()).add(partner(row))
    return {key: len(partners) for key, partners in counts.items()}


def draw_chart(agreements: pd.DataFrame, editions: list[str]) -> tuple[bytes, bytes, dict[str, str]]:
    """The partners-by-edition chart as (PNG, SVG, labels): one panel per agreement, bars stacked by status."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    labels = chart_labels(agreements, japanese=font is not None)
    counts = partner_counts(agreements)
    seen = set(agreements["status"])
    statuses = [s for s in STATUS_ORDER if s in seen] + sorted(seen - set(STATUS_ORDER))
    rc = {"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        figure = chart_figure(Figure, labels, counts, statuses, editions)
        FigureCanvasAgg(figure)
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=CHART_DPI, metadata={"Software": None})
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue(), labels


def chart_figure(figure_class, labels, counts, statuses, editions):
    """Lay out the panels (one per agreement) of the partners-by-edition chart."""
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
        for status in statuses:
            heights = [counts.get((name, status, edition), 0) for edition in editions]
            colour = STATUS_COLOURS.get(status, "#888888")
            ax.bar(editions, heights, bottom=bottom, color=colour, label=status, width=0.7)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(labels[name], fontsize=10)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(labelsize=8)
    for ax in axes[max(len(names), 1) :]:
        ax.set_axis_off()
    handles = [matplotlib_patch(STATUS_COLOURS.get(s, "#888888"), s) for s in statuses]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    figure.suptitle("Partners per agreement by edition and status", fontsize=11)
    return figure


def matplotlib_patch(colour: str, label: str):
    """A legend entry."""
    from matplotlib.patches import Patch

    return Patch(color=colour, label=label)


# --- the report -----------------------------------------------------------------------------------
# The report is built once as blocks, then rendered as Markdown and as HTML.
# Blocks: ("h1"|"h2"|"h3", text), ("p", parts), ("ul", [parts, ...]), ("table", header, rows), ("img", alt, src, png).
# Parts: a str, ("b", text), ("diff", old, new), ("ref", row).


def ref(row: dict) -> tuple:
    """A page reference part for a published row."""
    return ("ref", row)


def ref_text(row: dict) -> str:
    """``2025 p.141 (PDF p.3)``, or ``2025 PDF p.3`` when no page number is printed."""
    if row["printed_page"]:
        return f"{row['edition']} p.{row['printed_page']} (PDF p.{row['page']})"
    return f"{row['edition']} PDF p.{row['page']}"


def ref_href(row: dict) -> str:
    """``file.pdf#page=N``: relative to the report, so it opens when the PDFs sit next to it."""
    return f"{quote(row['file'])}#page={row['page']}"


def where(change: dict) -> list:
    """The page references of a change: the old row's, the new row's, or both."""
    parts: list = []
    for side in ("_old", "_new"):
        if change[side] is not None:
            parts += [" → " if parts else " — ", ref(change[side])]
    return parts


def partner_name(row: dict) -> str:
    """``英国 (GBR)`` or just the name."""
    return f"{row['country']} ({row['iso3']})" if row["iso3"] else row["country"]


def agreement_blocks(changes: list[dict]) -> list:
    """Per agreement: partners added, removed, status moves and as_of."""
    blocks: list = [("h2", "Agreements")]
    ours = [c for c in changes if c["table"] == "agreements"]
    if not ours:
        return blocks + [("p", [("none", "No changes.")])]
    for agreement in sorted({(c["_new"] or c["_old"])["agreement"] for c in ours}):
        items = []
        mine = [c for c in ours if (c["_new"] or c["_old"])["agreement"] == agreement]
        abbr = (mine[0]["_new"] or mine[0]["_old"])["abbr"]
        for kind in CHANGE_KINDS:
            for c in (c for c in mine if c["change"] == kind):
                row = c["_new"] or c["_old"]
                if c["field"] == "as_of":
                    items.append([("b", "As of"), f": {c['before'] or '—'} → {c['after'] or '—'}", *where(c)])
                elif kind == "changed":
                    items.append([("b", "Status"), f": {partner_name(row)}: {c['before']} → {c['after']}", *where(c)])
                else:
                    status = c["after"] if kind == "added" else f"was {c['before']}"
                    items.append([("b", kind.capitalize()), f": {partner_name(row)} ({status})", *where(c)])
        blocks += [("h3", f"{agreement} ({abbr})" if abbr else agreement), ("ul", items)]
    return blocks


def event_blocks(changes: list[dict]) -> list:
    """Dated events added, removed or re-dated."""
    ours = [c for c in changes if c["table"] == "agreement_events"]
    items = []
    for c in ours:
        row = c["_new"] or c["_old"]
        what = f"{row['agreement']} — {partner_name(row)} — {row['event']}"
        dates = {"added": c["after"], "removed": c["before"]}.get(c["change"], f"{c['before']} → {c['after']}")
        items.append([("b", c["change"].capitalize()), f": {what}: {dates or 'no date'}", *where(c)])
    return [("h2", "Agreement events"), ("ul", items) if items else ("p", [("none", "No changes.")])]


def keyword_blocks(changes: list[dict]) -> list:
    """Reworded definitions (character diff), other field changes, new and dropped keywords."""
    ours = [c for c in changes if c["table"] == "keywords"]
    blocks: list = [("h2", "Keywords")]
    if not ours:
        return blocks + [("p", [("none", "No changes.")])]
    reworded = [
        [("b", c["key"]), ": ", ("diff", c["before"], c["after"]), *where(c)]
        for c in ours
        if c["change"] == "changed" and c["field"] == "definition"
    ]
    other = [
        [("b", c["key"]), f": {c['field']} {c['before'] or '—'} → {c['after'] or '—'}", *where(c)]
        for c in ours
        if c["change"] == "changed" and c["field"] != "definition"
    ]
    for title, items in (("Definitions changed", reworded), ("Abbreviation or expansion changed", other)):
        if items:
            blocks += [("h3", title), ("ul", items)]
    return blocks + added_removed(ours, "keywords")


def added_removed(changes: list[dict], noun: str) -> list:
    """``New …`` and ``Dropped …`` lists."""
    blocks: list = []
    for kind, title in (("added", f"New {noun}"), ("removed", f"Dropped {noun}")):
        items = []
        for c in (c for c in changes if c["change"] == kind):
            row = c["_new"] or c["_old"]
            detail = (
                row["definition"] if noun == "keywords" else " ".join(filter(None, (row["term"], row["expansion"])))
            )
            items.append([("b", c["key"]), f": {detail}" if detail else "", *where(c)])
        if items:
            blocks += [("h3", title), ("ul", items)]
    return blocks


def acronym_blocks(changes: list[dict]) -> list:
    """New, dropped and changed acronyms."""
    ours = [c for c in changes if c["table"] == "acronyms"]
    blocks: list = [("h2", "Acronyms")]
    if not ours:
        return blocks + [("p", [("none", "No changes.")])]
    changed = [
        [("b", c["key"]), f": {c['field']} {c['before'] or '—'} → {c['after'] or '—'}", *where(c)]
        for c in ours
        if c["change"] == "changed"
    ]
    if changed:
        blocks += [("h3", "Changed acronyms"), ("ul", changed)]
    return blocks + added_removed(ours, "acronyms")


def review_blocks(review: pd.DataFrame, new: str) -> list:
    """The new edition's passages that need a human eye."""
    rows = review[review["edition"] == new].to_dict("records")
    items = [[("b", f"{row['table']}: {row['reason']}"), f" — {row['text']}" if row["text"] else "", " — ", ref(row)]
             for row in rows]  # fmt: skip
    title = f"Review items in the {new} edition"
    return [("h2", title), ("ul", items) if items else ("p", [("none", "None.")])]


def summary_blocks(changes: list[dict], old: str, new: str) -> list:
    """Counts of changes per table, or "No changes" said plainly."""
    if not changes:
        return [("h2", "Summary"), ("p", [f"No changes between the {old} and {new} editions."])]
    header = ["Table", *CHANGE_KINDS, "total"]
    rows = []
    for table in COMPARED:
        counts = [sum(1 for c in changes if c["table"] == table and c["change"] == kind) for kind in CHANGE_KINDS]
        rows.append([table, *map(str, counts), str(sum(counts))])
    rows.append(["all", *(str(sum(int(r[i]) for r in rows)) for i in range(1, 5))])
    return [("h2", "Summary"), ("p", [f"{len(changes)} change(s) between the {old} and {new} editions."]),
            ("table", header, rows)]  # fmt: skip


def report_blocks(changes, tables, editions: dict[str, str], old: str, new: str, chart: tuple) -> list:
    """The whole report as blocks."""
    png, labels = chart
    intro = (
        f"Compared: {editions[old]} ({old}) and {editions[new]} ({new}), from the published dataset. "
        "Each entry names the edition and page it comes from (printed page, then the PDF page); its link "
        "has the form file.pdf#page=N, relative to this report: put the edition's PDFs next to it to follow them. "
        "In reworded definitions, deleted characters are struck out and inserted ones highlighted."
    )
    key = [f"{label} = {name}" for name, label in labels.items() if label != name]
    chart_note = [("p", ["Chart labels: " + "; ".join(key)])] if key else []
    return [
        ("h1", f"防衛白書 {old} → {new}: what changed"),
        ("p", [intro]),
        *summary_blocks(changes, old, new),
        *agreement_blocks(changes),
        *event_blocks(changes),
        *keyword_blocks(changes),
        *acronym_blocks(changes),
        *review_blocks(tables["review"], new),
        ("h2", "Partners by edition (all editions)"),
        ("img", "Number of partners per agreement and status, by edition", f"../{CHART}.png", png),
        *chart_note,
    ]


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs of a character-level diff: op is "=", "-" (deleted) or "+" (inserted)."""
    runs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", old[i1:i2]))
        if tag in ("delete", "replace"):
            runs.append(("-", old[i1:i2]))
        if tag in ("insert", "replace"):
            runs.append(("+", new[j1:j2]))
    return _slide_to_boundaries(runs)


BOUNDARY_CHARS = "、。，．・「」『』（）() 　"


def _slide_to_boundaries(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Move each lone insertion or deletion to where it starts or ends at punctuation.

    difflib may place an insertion anywhere its text repeats ("救援{+活動、…対応+}活動" and
    "救援活動{+、…対応活動+}" are the same edit); a reader expects the clause, so among the equivalent
    placements the one touching 、。「」 wins (ties: the rightmost).
    """
    runs = list(runs)
    for k in range(1, len(runs) - 1):
        (before_op, before), (op, edit), (after_op, after) = runs[k - 1], runs[k], runs[k + 1]
        if before_op != "=" or after_op != "=" or op == "=" or not edit:
            continue
        text = before + edit + after
        start, end = len(before), len(before) + len(edit)
        while start > 0 and text[start - 1] == text[end - 1]:  # leftmost equivalent placement
            start, end = start - 1, end - 1
        best, best_score = (start, end), -1
        while True:
            score = (start == 0 or text[start - 1] in BOUNDARY_CHARS or text[start] in BOUNDARY_CHARS) + (
                end == len(text) or text[end] in BOUNDARY_CHARS or text[end - 1] in BOUNDARY_CHARS
            )
            if score >= best_score:
                best, best_score = (start, end), score
            if end >= len(text) or text[start] != text[end]:
                break
            start, end = start + 1, end + 1
        start, end = best
        runs[k - 1], runs[k], runs[k + 1] = ("=", text[:start]), (op, text[start:end]), ("=", text[end:])
    return [(op, chunk) for op, chunk in runs if chunk]


def md_escape(text: str) -> str:
    """Text safe inside Markdown (one line)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def md_part(part) -> str:
    """One inline part as Markdown; diffs as [-deleted-]{+inserted+}."""
    if isinstance(part, str):
        return md_escape(part)
    kind = part[0]
    if kind == "b":
        return f"**{md_escape(part[1])}**"
    if kind == "none":
        return f"_{md_escape(part[1])}_"
    if kind == "ref":
        return f"[{ref_text(part[1])}]({ref_href(part[1])})"
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(md_escape(text)) for op, text in char_diff(part[1], part[2]))


def html_part(part) -> str:
    """One inline part as HTML; diffs with <del>/<ins>."""
    if isinstance(part, str):
        return html.escape(part)
    kind = part[0]
    if kind == "b":
        return f"<strong>{html.escape(part[1])}</strong>"
    if kind == "none":
        return f'<span class="none">{html.escape(part[1])}</span>'
    if kind == "ref":
        return f'<a class="ref" href="{html.escape(ref_href(part[1]))}">{html.escape(ref_text(part[1]))}</a>'
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(html.escape(text)) for op, text in char_diff(part[1], part[2]))


def render_markdown(blocks: list) -> str:
    """The report as Markdown."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(kind[1])} {md_escape(block[1])}\n")
        elif kind == "p":
            out.append("".join(map(md_part, block[1])) + "\n")
        elif kind == "ul":
            out.append("".join(f"- {''.join(map(md_part, item))}\n" for item in block[1]))
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
            out.append("\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n")
        elif kind == "img":
            out.append(f"![{md_escape(block[1])}]({block[2]})\n")
    return "\n".join(out)


def render_html(blocks: list, title: str) -> str:
    """The report as one self-contained HTML page."""
    body = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            body.append(f"<{kind}>{html.escape(block[1])}</{kind}>")
        elif kind == "p":
            body.append(f"<p>{''.join(map(html_part, block[1]))}</p>")
        elif kind == "ul":
            items = "".join(f"<li>{''.join(map(html_part, item))}</li>\n" for item in block[1])
            body.append(f"<ul>\n{items}</ul>")
        elif kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>\n" for row in block[2])
            body.append(f"<table>\n<tr>{head}</tr>\n{rows}</table>")
        elif kind == "img":
            data = base64.b64encode(block[3]).decode("ascii")
            body.append(f'<p><img alt="{html.escape(block[1])}" src="data:image/png;base64,{data}"></p>')
    return (
        f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f"<style>{HTML_STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# --- the stage ------------------------------------------------------------------------------------


def write_pair(output: Path, tables, editions: dict[str, str], old: str, new: str, chart: tuple) -> list[Path]:
    """changes.csv/.parquet and report.md/.html for one pair of editions."""
    folder = output / DIFF_FOLDER / f"{old}-{new}"
    changes = all_changes(tables, old, new)
    frame = changes_frame(changes)
    blocks = report_blocks(changes, tables, editions, old, new, chart)
    paths = [folder / "changes.csv", folder / "changes.parquet", folder / "report.md", folder / "report.html"]
    write_bytes(paths[0], csv_bytes(frame))
    write_bytes(paths[1], parquet_bytes(frame, arrow_schema(CHANGE_COLUMNS, CHANGE_INTS, nullable=tuple(CHANGE_INTS))))
    write_text(paths[2], render_markdown(blocks))
    write_text(paths[3], render_html(blocks, f"防衛白書 {old} → {new}"))
    return paths


def write_overview(output: Path, agreements: pd.DataFrame, editions: list[str]) -> tuple[list[Path], tuple]:
    """The timeline over all editions and the partners chart; the paths and (PNG bytes, labels)."""
    frame = timeline(agreements)
    png, svg, labels = draw_chart(agreements, editions)
    paths = [
        output / f"{TIMELINE}.csv",
        output / f"{TIMELINE}.parquet",
        output / DIFF_FOLDER / f"{CHART}.png",
        output / DIFF_FOLDER / f"{CHART}.svg",
    ]
    write_bytes(paths[0], csv_bytes(frame))
    write_bytes(paths[1], parquet_bytes(frame, arrow_schema(TIMELINE_COLUMNS, TIMELINE_INTS)))
    write_bytes(paths[2], png)
    write_bytes(paths[3], svg)
    return paths, (png, labels)


def diff_editions(output: Path, old: str | None = None, new: str | None = None) -> list[Path]:
    """Compare consecutive editions (or ``old`` with ``new``) of the dataset in ``output``; the files written.

    Comparing every pair also keeps ``diff/`` true to the dataset: a pair asked for earlier
    (``hakusho diff 2016 2025``) is redone, and the reports of a pair with an edition no longer in the
    dataset are removed. With fewer than two editions nothing is written and [] is returned.
    """
    output = Path(output)
    editions_frame = read_published(output, "editions")
    present = sorted(editions_frame["edition"])
    pairs = edition_pairs(present, old, new, output)
    if old is None:
        earlier = _pair_folders(output)
        _remove_pairs(output, [pair for pair in earlier if not set(pair) <= set(present)])
        pairs = sorted(set(pairs) | {pair for pair in earlier if set(pair) <= set(present)})
    if not pairs:
        return []
    tables = {table: read_published(output, table) for table in (*COMPARED, "review")}
    titles = dict(zip(editions_frame["edition"], editions_frame["title"], strict=True))
    paths, chart = write_overview(output, tables["agreements"], present)
    for before, after in pairs:
        paths += write_pair(output, tables, titles, before, after, chart)
    return paths


PAIR_FOLDER = re.compile(r"^(\d{4})-(\d{4})$")
PAIR_FILES = ("changes.csv", "changes.parquet", "report.md", "report.html")


def _pair_folders(output: Path) -> list[tuple[str, str]]:
    """The pairs that have a report folder in ``output/diff``."""
    folder = output / DIFF_FOLDER
    if not folder.is_dir():
        return []
    return sorted(match.groups() for p in folder.iterdir() if p.is_dir() and (match := PAIR_FOLDER.match(p.name)))


def _remove_pairs(output: Path, pairs: list[tuple[str, str]]) -> None:
    """Delete the reports of ``pairs`` (our files only; a folder holding anything else is kept)."""
    for old, new in pairs:
        folder = output / DIFF_FOLDER / f"{old}-{new}"
        for name in PAIR_FILES:
            (folder / name).unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
