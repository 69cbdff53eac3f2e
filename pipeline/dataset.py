"""The dataset stage: every edition's extracted tables → one validated, published file per table.

The extract stage writes ``BUILD/<year>/tables/<table>.csv`` per edition; users want one table
across editions, typed, in formats they already read (CSV for spreadsheets and Frictionless tools,
Parquet for pandas/R/DuckDB), described by a Data Package so that a tool can check it.

Why it is built the way it is:

- What the tables are comes from ``pipeline/data/schema.json`` (``pipeline.schema``): the tables the
  extract stage makes, their columns, types, primary keys and sort orders, and the ``editions`` table
  (one ``rows_<table>`` column per extracted table). A table added there is collected here unchanged.
- Publishing is all-or-nothing (``pipeline.publish``): every file is staged inside OUTPUT, the CSVs
  are validated with frictionless against the schema, and only then is the whole publication (with
  the diff's files, in ``hakusho run``) renamed into place. A violation raises ``HakushoError`` naming
  the table, row and field and leaves the previous OUTPUT untouched.
- Same inputs → byte-identical outputs: rows are sorted by a total order (``pipeline.formats``),
  duplicates under the primary key are dropped deterministically (the first row in that order wins,
  i.e. the earliest page), nothing carries a timestamp.
- Every row gets its stable ``row_id`` (``pipeline.rowids``), and the review decisions of the decisions
  file (``pipeline.decisions``) are applied here, after extraction and before validation and the diff:
  the file is one of the stage's inputs, so editing it publishes again without extracting again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from . import decisions, rowids, schema
from .cache import OUTPUT_STAMP, Decision, decide, file_inputs, read_record, stage_key
from .dates import title_of_year
from .editions import DECISIONS_FILE, YEAR_FOLDER
from .errors import HakushoError
from .formats import csv_bytes, parquet_bytes, read_csv, sort_rows
from .package import EXTRACT_REMEDY, check, publish_batch
from .publish import Batch

EDITIONS_TABLE = "editions"
LAYOUT_FILE = "layout.json"


def extracted() -> list[schema.Table]:
    """The tables the extract stage writes per edition, in the order they are published."""
    return schema.load().made_by("extract")


# --- reading BUILD --------------------------------------------------------------------------------


def find_build_editions(build: Path, editions: list[str] | None) -> list[str]:
    """The edition years to collect: every ``BUILD/<year>/`` folder, or ``editions`` (which must exist)."""
    if not build.is_dir():
        raise HakushoError(f"{build}: no such folder; run `hakusho layout` and `hakusho extract` first")
    present = sorted(p.name for p in build.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name))
    if editions is None:
        if not present:
            raise HakushoError(
                f"{build}: no edition folders (e.g. {build}/2025/); run `hakusho layout` and `hakusho extract` first"
            )
        return present
    missing = [year for year in editions if year not in present]
    if missing:
        raise HakushoError(
            f"{build}: no edition {', '.join(missing)} (present: {', '.join(present) or 'none'}); "
            f"run `hakusho layout` and `hakusho extract` for it"
        )
    return sorted(set(editions))


def read_extracted(path: Path, table: schema.Table, edition: str) -> pd.DataFrame:
    """One edition's table as strings, with a ``_source`` column (``path row N``) for error messages."""
    if not path.is_file():
        raise HakushoError(f"{path}: missing; {EXTRACT_REMEDY}")
    try:
        frame = read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise HakushoError(f"{path}: not a readable UTF-8 CSV ({exc}); {EXTRACT_REMEDY} again") from exc
    expected = table.made_columns
    if sorted(frame.columns) != sorted(expected):
        raise HakushoError(
            f"{path}: columns are {', '.join(frame.columns)} but {table.name} needs {', '.join(expected)}; "
            f"{EXTRACT_REMEDY} again (or update pipeline/data/schema.json)"
        )
    frame = frame[expected]
    wrong = frame.index[frame["edition"] != edition]
    if len(wrong):
        row = int(wrong[0]) + 2
        raise HakushoError(
            f"{path} row {row} field edition: {frame['edition'].iloc[wrong[0]]!r} but the folder is {edition}; "
            f"{EXTRACT_REMEDY} again"
        )
    frame["_source"] = [f"{path} row {i + 2}" for i in range(len(frame))]
    return frame


def read_layout(build: Path, edition: str) -> dict:
    """The edition's ``layout.json`` (title, pages, files)."""
    path = build / edition / LAYOUT_FILE
    try:
        layout = json.loads(path.read_text(encoding="utf-8"))
        files = ";".join(f"{f['name']}:{f['sha256']}" for f in layout["files"])
        return {
            "edition": edition,
            "title": str(layout.get("title") or title_of_year(int(edition))),  # not printed in the PDFs given
            "pages": str(int(layout["pages"])),
            "files": files,
            "layout_version": str(layout.get("layout_version", "")),
        }
    except FileNotFoundError as exc:
        raise HakushoError(f"{path}: missing; run `hakusho layout` and `hakusho extract` first") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise HakushoError(f"{path}: not a valid layout file ({exc!r}); run `hakusho layout --force` again") from exc


def collect(build: Path, years: list[str], decisions_file: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table across ``years``: deduplicated under its primary key, with row ids and the review
    decisions of ``decisions_file`` applied, sorted, as strings; and the decisions table."""
    book = decisions.read(decisions_file)  # a bad line stops the run before any table is read
    tables = {}
    for table in extracted():
        parts = [read_extracted(build / year / "tables" / f"{table.name}.csv", table, year) for year in years]
        tables[table.name] = rowids.with_row_ids(table, dedupe(table, pd.concat(parts, ignore_index=True)))
    tables, decided = decisions.apply(book, tables, years, decisions_file)
    tables[schema.DECISIONS] = decided
    editions = schema.table(EDITIONS_TABLE)
    rows = []
    for year in years:
        row = read_layout(build, year)
        for name, column in editions.family.items():
            row[column] = str(int((tables[name]["edition"] == year).sum()))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=editions.made_columns, dtype=str)
    tables[EDITIONS_TABLE] = rowids.with_row_ids(editions, frame)
    tables[EDITIONS_TABLE]["_source"] = [str(build / year / LAYOUT_FILE) for year in years]
    return tables


def dedupe(table: schema.Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted rows, the first of each primary key kept (exact repeats and later pages of the same key go).

    The primary key may name a derived field (agreements: ``partner``, the ISO3 code or else the name):
    two names of one state in an edition's list are one partner, and one row.
    """
    data = [name for name in frame.columns if name != "_source"]
    frame = sort_rows(frame, table).drop_duplicates(subset=data, keep="first")
    keys = pd.Series([table.primary_key_of(row) for row in frame.to_dict("records")])
    return frame[~keys.duplicated(keep="first").to_numpy()].reset_index(drop=True)


# --- the stage ------------------------------------------------------------------------------------


def dataset_key(build: Path, years: list[str], decisions_file: Path | None = None):
    """The stage's key (``pipeline/cache.py``): every edition's layout.json and tables, the decisions file,
    the code, the editions."""
    files = {}
    for year in years:
        files[f"{year}/{LAYOUT_FILE}"] = build / year / LAYOUT_FILE
        files |= {f"{year}/tables/{t.name}.csv": build / year / "tables" / f"{t.name}.csv" for t in extracted()}
    if decisions_file is not None:  # named as in SOURCES, whatever its path ("dataset: re-run, decisions.csv changed")
        files[DECISIONS_FILE] = decisions_file
    return stage_key("dataset", __name__, inputs=file_inputs(files), options={"editions": ",".join(years)})


def outputs(output: Path) -> list[Path]:
    """The files the stage leaves in OUTPUT (a re-run is needed when one of them is missing)."""
    return [output / f"{t.name}.{ext}" for t in schema.load().published_by_dataset() for ext in ("csv", "parquet")]


def stage_dataset(build: Path, years: list[str], batch: Batch, decisions_file: Path | None = None) -> dict[str, int]:
    """Collect, validate and stage every table (CSV, then Parquet) in ``batch``; rows per table."""
    tables = collect(build, years, decisions_file)
    names = []
    for name, frame in tables.items():
        table = schema.table(name)
        batch.write_bytes(table.path(), csv_bytes(frame[table.columns]))
        names.append(table.path())
    check(batch, names, {schema.table(name).path(): list(frame["_source"]) for name, frame in tables.items()})
    for name, frame in tables.items():
        batch.write_bytes(f"{name}.parquet", parquet_bytes(frame, schema.table(name)))
    return {name: len(frame) for name, frame in tables.items()}


def dataset_stage(
    build: Path, years: list[str], batch: Batch, *, force: bool = False, decisions_file: Path | None = None
) -> tuple[Decision, dict]:
    """The stage: the tables of ``years`` staged in ``batch`` unless its key is unchanged; (what was done, rows)."""
    key = dataset_key(build, years, decisions_file)
    recorded = read_record(batch.output / OUTPUT_STAMP, "dataset")
    decision = decide(key, recorded, force=force, outputs=outputs(batch.output))
    if not decision.run:
        return decision, {}
    batch.records["dataset"] = key.record()
    return decision, stage_dataset(build, years, batch, decisions_file)


def build_dataset(
    build: Path,
    output: Path,
    editions: list[str] | None = None,
    quiet: bool = False,
    decisions_file: Path | None = None,
) -> None:
    """Collect every edition's tables from ``build``, apply the decisions, validate them and publish CSV,
    Parquet and datapackage.json."""
    build, output = Path(build), Path(output)
    years = find_build_editions(build, editions)
    with Batch(output) as batch:
        _, counts = dataset_stage(build, years, batch, force=True, decisions_file=decisions_file)
        publish_batch(batch)
    if not quiet:
        summary = ", ".join(f"{counts[t.name]} {t.name}" for t in extracted())
        print(f"dataset: {len(years)} edition(s) ({', '.join(years)}): {summary} → {output}/", file=sys.stderr)
