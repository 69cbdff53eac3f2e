"""The diff stage: what changed between editions, as a table, a readable report and a timeline.

Users read the white paper once a year and want to know what is new: which partners an agreement
gained or lost, whose status moved, which keyword definitions were reworded. This stage reads only
the published tables (data flows one way: it never looks at BUILD) and writes, through its modules:

- ``compare``: ``OUTPUT/diff/<old>-<new>/changes.csv`` (+ ``.parquet``), one row per change, by the
  diff rules of ``schema.json`` (which tables, keyed how, which fields compared);
- ``report``: ``OUTPUT/diff/<old>-<new>/report.md`` and ``report.html``, the same changes for a reader,
  rendered from Jinja2 templates, every entry with the edition and page it came from;
- ``timeline``: ``OUTPUT/agreement_timeline.csv`` (+ ``.parquet``) and ``OUTPUT/diff/partners_by_edition.png``
  (+ ``.svg``) over all editions;
- ``shares``: ``OUTPUT/mention_shares.csv`` (+ ``.parquet``), each edition's mentions and share per party, and
  ``OUTPUT/diff/mention_shares_by_edition.png`` (+ ``.svg``), the ten most-named parties' shares by edition;
- ``recurring``: for the report, the new and dropped members of recurring country lists;
- ``marks``: each change's row id and review mark, the open items and stale decisions the report lists
  (``charts`` draws every chart, ``labels`` gives the words for the codes).

The stage writes into a publication (``pipeline.publish.Batch``): in ``hakusho run`` the same one as
the dataset's, so that the diff reads the tables about to be published and everything lands together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import schema
from ..cache import OUTPUT_STAMP, Decision, decide, file_inputs, read_record, stage_key
from ..editions import EDITION_YEAR
from ..errors import HakushoError
from ..formats import csv_bytes, parquet_bytes, read_csv, typed
from ..package import check, publish_batch
from ..publish import Batch
from . import charts, marks, recurring, report, shares, timeline
from .compare import CHANGES, all_changes, changes_frame

DIFF_FOLDER = "diff"
PAIR_FOLDER = re.compile(rf"^({EDITION_YEAR})-({EDITION_YEAR})$")
REPORTS = ("report.md", "report.html")
DATASET_REMEDY = "run `hakusho dataset` first"


def read_published(batch: Batch, table: schema.Table) -> pd.DataFrame:
    """A published table as strings, its integer columns as int64 (``page`` orders rows); a missing file is an error."""
    path = batch.path(table.path())
    if not path.is_file():
        raise HakushoError(f"{batch.output / table.path()}: missing; {DATASET_REMEDY}")
    frame = read_csv(path)
    missing = [name for name in table.columns if name not in frame.columns]
    if missing:
        raise HakushoError(
            f"{batch.output / table.path()}: no column {', '.join(missing)}; "
            f"{DATASET_REMEDY.removesuffix(' first')} again"
        )
    return typed(frame, table)


def read_tables(batch: Batch) -> dict[str, pd.DataFrame]:
    """Every table the dataset publishes (the extract tables, editions, decisions), as the diff reads them."""
    return {table.name: read_published(batch, table) for table in schema.load().published_by_dataset()}


def edition_pairs(present: list[str], old: str | None, new: str | None, output: Path) -> list[tuple[str, str]]:
    """The pairs to compare: every consecutive pair of ``present``, or ``(old, new)`` once checked."""
    if old is None and new is None:
        return list(zip(present, present[1:], strict=False))
    if old is None or new is None:
        raise HakushoError("give two editions (hakusho diff 2024 2025) or none (every consecutive pair)")
    for year in (old, new):
        if year not in present:
            editions = output / schema.table("editions").path()
            raise HakushoError(f"{editions}: no edition {year}; editions present: {', '.join(present) or 'none'}")
    if old >= new:
        raise HakushoError(f"give the earlier edition first: hakusho diff {min(old, new)} {max(old, new)}")
    return [(old, new)]


def plan(batch: Batch, present: list[str], old: str | None, new: str | None) -> tuple[list, list]:
    """(pairs to write, pairs whose reports go).

    Comparing every pair also keeps ``diff/`` true to the dataset: a pair asked for earlier
    (``hakusho diff 2016 2025``) is redone, and the reports of a pair with an edition no longer in the
    dataset are removed.
    """
    pairs = edition_pairs(present, old, new, batch.output)
    if old is not None:
        return pairs, []
    earlier = pair_folders(batch.output)
    keep = {pair for pair in earlier if set(pair) <= set(present)}
    return sorted(set(pairs) | keep), [pair for pair in earlier if pair not in keep]


def pair_folders(output: Path) -> list[tuple[str, str]]:
    """The pairs that have a report folder in ``output/diff``."""
    folder = output / DIFF_FOLDER
    if not folder.is_dir():
        return []
    return sorted(match.groups() for p in folder.iterdir() if p.is_dir() and (match := PAIR_FOLDER.match(p.name)))


def pair_files(old: str, new: str) -> list[str]:
    """The files of one pair's folder, relative to OUTPUT."""
    changes = schema.table(CHANGES).path(old=old, new=new)
    folder = changes.rsplit("/", 1)[0]
    return [changes, changes.replace(".csv", ".parquet"), *(f"{folder}/{name}" for name in REPORTS)]


def overview_files() -> list[str]:
    """The files over all editions: the timeline and the mention shares (CSV, Parquet), each with a chart (PNG, SVG)."""
    files = []
    for table, chart in ((timeline.TIMELINE, timeline.CHART), (shares.SHARES, shares.CHART)):
        path = schema.table(table).path()
        files += [path, path.replace(".csv", ".parquet"), f"{DIFF_FOLDER}/{chart}.png", f"{DIFF_FOLDER}/{chart}.svg"]
    return files


def diff_key(batch: Batch, pairs: list[tuple[str, str]]):
    """The stage's key (``pipeline/cache.py``): the published tables it reads, the code, the pairs."""
    inputs = {table.path(): batch.path(table.path()) for table in schema.load().published_by_dataset()}
    inputs[charts.FONT_LABEL] = charts.font_file()  # the charts' font, read like an input
    options = {"pairs": ",".join(f"{old}-{new}" for old, new in pairs)}
    return stage_key("diff", __name__, inputs=file_inputs(inputs), options=options)


def outputs(batch: Batch, pairs: list[tuple[str, str]]) -> list[Path]:
    """The files the stage leaves in OUTPUT (with fewer than two editions: none)."""
    if not pairs:
        return []
    names = overview_files() + [name for pair in pairs for name in pair_files(*pair)]
    return [batch.output / name for name in names]


def stage_diff(batch: Batch, pairs: list[tuple[str, str]], gone: list[tuple[str, str]]) -> list[str]:
    """Write the timeline, the mention shares, their charts and each pair's changes and reports into ``batch``.

    Returns the names written. The reports of the ``gone`` pairs (an edition left the dataset) are removed;
    with fewer than two editions (no pairs) nothing is written, and what an earlier run wrote goes.
    """
    for pair in gone:
        for name in pair_files(*pair):
            batch.remove(name)
    if not pairs:
        for name in overview_files():
            batch.remove(name)
        return []
    tables = read_tables(batch)
    editions = tables["editions"]
    titles = dict(zip(editions["edition"], editions["title"], strict=True))
    present = sorted(editions["edition"])
    written = overview_files()
    shares_rows = shares.mention_shares(tables["country_mentions"])
    drawn = timeline.draw_chart(tables["agreements"], present)
    shares_drawn = shares.draw_chart(shares_rows, present)
    contents = [
        *_table_bytes(timeline.timeline(tables["agreements"]), timeline.TIMELINE), drawn.png, drawn.svg,
        *_table_bytes(shares_rows, shares.SHARES), shares_drawn.png, shares_drawn.svg,
    ]  # fmt: skip
    for name, data in zip(written, contents, strict=True):
        batch.write_bytes(name, data)
    chart = report.embedded(drawn, f"../{timeline.CHART}.png")
    shares_chart = report.embedded(shares_drawn, f"../{shares.CHART}.png")
    # The diff's own table is compared like the published ones; compact frameworks under one spelling.
    tables[shares.SHARES] = typed(shares_rows, schema.table(shares.SHARES))
    tables["country_lists"] = recurring.comparable(tables["country_lists"])
    decided = tables[schema.DECISIONS].to_dict("records")
    for old, new in pairs:
        changes = all_changes(tables, old, new)
        stale_acceptances = marks.mark_changes(changes, decided, old, new)
        frame = changes_frame(changes)
        review = tables["review"][tables["review"]["edition"] == new].to_dict("records")
        members = recurring.member_changes(tables["country_lists"], old, new)
        values = report.context(changes, review, titles, old, new, chart, shares_chart=shares_chart, recurring=members)
        stale = marks.stale_decisions(decided, old, new, stale_acceptances)
        values |= marks.report_values(changes, review, stale, marks.rejected_rows(decided, old, new))
        files = pair_files(old, new)
        contents = (
            *_table_bytes(frame, CHANGES),
            report.render("md", values).encode("utf-8"),
            report.render("html", values).encode("utf-8"),
        )
        for name, data in zip(files, contents, strict=True):
            batch.write_bytes(name, data)
        written += files
    check(batch, [name for name in written if name.endswith(".csv")])
    return written


def _table_bytes(rows: pd.DataFrame, table: str) -> tuple[bytes, bytes]:
    """(CSV, Parquet) of a table the stage makes."""
    spec = schema.table(table)
    return csv_bytes(typed(rows, spec)), parquet_bytes(rows, spec)


def diff_stage(
    batch: Batch, *, force: bool = False, old: str | None = None, new: str | None = None
) -> tuple[Decision, list[str]]:
    """The stage: every pair (or ``old`` with ``new``) unless its key is unchanged; (what was done, files written)."""
    present = sorted(read_published(batch, schema.table("editions"))["edition"])
    pairs, gone = plan(batch, present, old, new)
    key = diff_key(batch, pairs)
    decision = decide(key, read_record(batch.output / OUTPUT_STAMP, "diff"), force=force, outputs=outputs(batch, pairs))
    if not decision.run:
        return decision, []
    if not pairs:  # it still runs: what an earlier run with more editions wrote goes
        decision = Decision(True, f"nothing to compare, {len(present)} edition{'' if len(present) == 1 else 's'}")
    batch.records["diff"] = key.record()
    return decision, stage_diff(batch, pairs, gone)


def diff_editions(output: Path, old: str | None = None, new: str | None = None) -> list[Path]:
    """Compare consecutive editions (or ``old`` with ``new``) of the dataset in ``output``; the files written.

    With fewer than two editions nothing is written and [] is returned.
    """
    output = Path(output)
    if not (output / schema.table("editions").path()).is_file():  # checked before the publication creates OUTPUT
        raise HakushoError(f"{output / schema.table('editions').path()}: missing; {DATASET_REMEDY}")
    with Batch(output) as batch:
        _, written = diff_stage(batch, force=True, old=old, new=new)
        publish_batch(batch)
    return [output / name for name in written]
