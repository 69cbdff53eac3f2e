"""The dataset stage: every edition's extracted tables → one validated, published file per table.

The extract stage writes ``BUILD/<year>/tables/<table>.csv`` per edition; users want one table
across editions, typed, in formats they already read (CSV for spreadsheets and Frictionless tools,
Parquet for pandas/R/DuckDB), described by a Data Package so that a tool can check it.

Why it is built the way it is:

- The schema lives in ``pipeline/data/schema.json`` (Frictionless Table Schemas plus our own
  ``sortKey``): a domain expert extends a vocabulary there, not in code.
- Publishing is all-or-nothing. Every file is first written to a temporary folder inside OUTPUT,
  the CSVs are validated there with frictionless against the schema, and only then are the files
  renamed into place (``datapackage.json`` last). A violation raises ``HakushoError`` naming the
  table, row and field and leaves the previous OUTPUT untouched.
- Same inputs → byte-identical outputs: rows are sorted by a total order (the table's sort key,
  then every other column), duplicates under the primary key are dropped deterministically (the
  first row in that order wins, i.e. the earliest page), nothing carries a timestamp, and the
  Parquet files are written from an explicit Arrow schema without pandas metadata.
- Types are explicit: the schema's integer columns (``page``, ``pages``, ``rows_*``, ``mentions``…) are int64,
  everything else is a string.
  Missing values are empty strings in the CSV *and* in Parquet (string columns are non-nullable),
  so both formats read back the same; frictionless treats an empty CSV cell as missing.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .dates import title_of_year
from .errors import HakushoError
from .files import write_bytes, write_text

SCHEMA_PATH = Path(__file__).parent / "data" / "schema.json"
# The tables the extract stage writes per edition, in the order they are published.
EXTRACTED_TABLES = (
    "keywords",
    "agreements",
    "agreement_events",
    "acronyms",
    "review",
    "country_lists",
    "country_mentions",
)
EDITIONS_TABLE = "editions"
YEAR_FOLDER = re.compile(r"^\d{4}$")
LAYOUT_FILE = "layout.json"
PACKAGE_FILE = "datapackage.json"
PACKAGE_NAME = "hakusho"
PACKAGE_TITLE = "Japan's Defense White Paper (防衛白書) as tables"
PARQUET_COMPRESSION = "zstd"
EXTRACT_REMEDY = "run `hakusho extract` first"


# --- schema -----------------------------------------------------------------------------------


@cache
def load_schema() -> dict[str, dict]:
    """The table descriptors from ``schema.json``: {table: {title, description, fields, primaryKey, sortKey}}."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["tables"]


def columns(table: str) -> list[str]:
    """The column names of ``table``, in order."""
    return [field["name"] for field in load_schema()[table]["fields"]]


def int_columns(table: str) -> list[str]:
    """The integer (int64) columns of ``table``."""
    return [field["name"] for field in load_schema()[table]["fields"] if field["type"] == "integer"]


def table_schema(table: str) -> dict:
    """The Frictionless Table Schema of ``table`` (our ``sortKey`` removed)."""
    spec = load_schema()[table]
    return {"fields": spec["fields"], "primaryKey": spec["primaryKey"], "missingValues": [""]}


def arrow_schema(names: list[str], ints: list[str], nullable: tuple[str, ...] = ()) -> pa.Schema:
    """An Arrow schema: int64 for ``ints``, string otherwise; only ``nullable`` columns may hold nulls."""
    return pa.schema(
        [pa.field(name, pa.int64() if name in ints else pa.string(), nullable=name in nullable) for name in names]
    )


# --- writing tables (also used by pipeline.diff) --------------------------------------------------


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a header and LF line ends; empty strings and nulls as empty cells."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(frame: pd.DataFrame, schema: pa.Schema) -> bytes:
    """``frame`` as Parquet with exactly ``schema`` and no pandas metadata, so the bytes depend only on the data."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False).replace_schema_metadata(None)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=PARQUET_COMPRESSION)
    return buffer.getvalue()


def typed(frame: pd.DataFrame, ints: list[str]) -> pd.DataFrame:
    """A copy of a string ``frame`` with ``ints`` as int64 (nullable Int64 where a cell is empty)."""
    frame = frame.copy()
    for name in ints:
        values = pd.to_numeric(frame[name].replace("", None), errors="raise")
        frame[name] = values.astype("Int64") if values.isna().any() else values.astype("int64")
    return frame


def sort_rows(frame: pd.DataFrame, key: list[str], ints: list[str]) -> pd.DataFrame:
    """``frame`` sorted by ``key`` then every other column (a total order); ``ints`` compare as numbers."""
    order = key + [name for name in frame.columns if name not in key]

    def sort_value(column: pd.Series) -> pd.Series:
        return pd.to_numeric(column, errors="coerce") if column.name in ints else column

    return frame.sort_values(order, key=sort_value, kind="stable", na_position="last").reset_index(drop=True)


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


def read_extracted(path: Path, table: str, edition: str) -> pd.DataFrame:
    """One edition's table as strings, with a ``_source`` column (``path row N``) for error messages."""
    if not path.is_file():
        raise HakushoError(f"{path}: missing; {EXTRACT_REMEDY}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise HakushoError(f"{path}: not a readable UTF-8 CSV ({exc}); {EXTRACT_REMEDY} again") from exc
    expected = columns(table)
    if sorted(frame.columns) != sorted(expected):
        raise HakushoError(
            f"{path}: columns are {', '.join(frame.columns)} but {table} needs {', '.join(expected)}; "
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


def collect(build: Path, years: list[str]) -> dict[str, pd.DataFrame]:
    """Every table across ``years``: deduplicated under its primary key, sorted, as strings."""
    tables = {}
    for table in EXTRACTED_TABLES:
        parts = [read_extracted(build / year / "tables" / f"{table}.csv", table, year) for year in years]
        tables[table] = dedupe(table, pd.concat(parts, ignore_index=True))
    rows = []
    for year in years:
        row = read_layout(build, year)
        for table in EXTRACTED_TABLES:
            row[f"rows_{table}"] = str(int((tables[table]["edition"] == year).sum()))
        rows.append(row)
    tables[EDITIONS_TABLE] = pd.DataFrame(rows, columns=columns(EDITIONS_TABLE), dtype=str)
    tables[EDITIONS_TABLE]["_source"] = [str(build / year / LAYOUT_FILE) for year in years]
    return tables


def dedupe(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted rows, the first of each primary key kept (exact repeats and later pages of the same key go)."""
    spec = load_schema()[table]
    data = [name for name in frame.columns if name != "_source"]
    frame = sort_rows(frame, spec["sortKey"], int_columns(table))
    frame = frame.drop_duplicates(subset=data, keep="first")
    return frame.drop_duplicates(subset=spec["primaryKey"], keep="first").reset_index(drop=True)


# --- validating and publishing ------------------------------------------------------------------


def package_descriptor(tables: list[str]) -> dict:
    """The Data Package: one CSV resource per table, with its Table Schema; no timestamps."""
    schema = load_schema()
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": (
            "Tables extracted from the editions of Japan's Defense White Paper, one row per fact with the "
            "edition, PDF file and page it came from. Each CSV has a Parquet twin with the same columns "
            "(the integer columns, such as page, pages, rows_*, mentions and chars, as int64, the rest as non-null "
            "strings; empty string = missing)."
        ),
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "title": schema[table]["title"],
                "description": schema[table]["description"],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }
            for table in tables
        ],
    }


def validate_package(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Validate the CSVs in ``folder`` against their schemas; the first violation raises HakushoError."""
    from frictionless import validate

    report = validate(folder / PACKAGE_FILE)
    for task in report.tasks:
        if task.errors:
            raise HakushoError(error_message(task.name, task.errors, tables[task.name]))
    if not report.valid:
        raise HakushoError(f"{PACKAGE_FILE}: {report.errors[0].message}; this is a bug in pipeline/data/schema.json")


def error_message(table: str, errors: list, frame: pd.DataFrame) -> str:
    """One line: the published file, row and field, the offending value, its input row, and what to do."""
    error = errors[0]
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    where = f"{table}.csv" + (f" row {row}" if row else "") + (f" field {field}" if field else "")
    cell = getattr(error, "cell", None)
    what = f"{cell!r} {describe(error)}" if field else error.note
    source = f" (from {frame['_source'].iloc[row - 2]})" if row and 2 <= row < len(frame) + 2 else ""
    more = f" ({len(errors) - 1} more error(s) after this one)" if len(errors) > 1 else ""
    if error.type == "constraint-error" and "enum" in error.note:
        remedy = "fix the extraction rules or the vocabulary in pipeline/data/schema.json"
    else:
        remedy = f"fix the extraction rules and {EXTRACT_REMEDY.removesuffix(' first')} again"
    return f"{where}: {what}{source}{more}; {remedy}"


def describe(error) -> str:
    """The frictionless note in plain words (``is not one of a, b``)."""
    kind = re.match(r'type is "(\w+)', error.note)
    if error.type == "type-error" and kind:
        return f"is not of type {kind.group(1)}"
    match = re.match(r'constraint "(\w+)" is "(.*)"$', error.note)
    if not match:
        return f"is invalid: {error.note}"
    kind, value = match.groups()
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", value)
        return f"is not one of {', '.join(allowed)}"
    if kind == "required":
        return "is empty but required"
    if kind == "pattern":
        return f"does not match {value}"
    return f"breaks {kind} {value}"


def write_staged(folder: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Write every CSV and the datapackage into ``folder``, validate, then the Parquet files; the file names."""
    names = []
    for table, frame in tables.items():
        write_bytes(folder / f"{table}.csv", csv_bytes(frame[columns(table)]))
        names.append(f"{table}.csv")
    descriptor = package_descriptor(list(tables))
    write_text(folder / PACKAGE_FILE, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    validate_package(folder, tables)
    for table, frame in tables.items():
        ints = int_columns(table)
        data = typed(frame[columns(table)], ints)
        write_bytes(folder / f"{table}.parquet", parquet_bytes(data, arrow_schema(columns(table), ints)))
        names.append(f"{table}.parquet")
    return names + [PACKAGE_FILE]


def staging_folder(output: Path) -> Path:
    """A fresh temporary folder inside ``output`` (so the final renames stay on one file system)."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".dataset-", dir=output))
    except OSError as exc:
        raise HakushoError(f"{output}: cannot write here ({exc.strerror}); choose a writable --output folder") from exc


def publish(output: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Stage, validate and rename every file into ``output``; on any error nothing in ``output`` changes."""
    staging = staging_folder(output)
    try:
        names = write_staged(staging, tables)
        for name in names:
            os.replace(staging / name, output / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [output / name for name in names]


def build_dataset(build: Path, output: Path, editions: list[str] | None = None, quiet: bool = False) -> None:
    """Collect every edition's tables from ``build``, validate them and publish CSV, Parquet and datapackage.json."""
    build, output = Path(build), Path(output)
    years = find_build_editions(build, editions)
    tables = collect(build, years)
    publish(output, tables)
    if not quiet:
        counts = ", ".join(f"{len(tables[t])} {t}" for t in EXTRACTED_TABLES)
        print(f"dataset: {len(years)} edition(s) ({', '.join(years)}): {counts} → {output}/", file=sys.stderr)
