"""``datapackage.json``: every table in OUTPUT described (schema, SHA-256) and validated before it is published.

The descriptor is made from ``schema.json`` over the tables the publication leaves in OUTPUT: the
dataset's tables and the diff's (the timeline, the mention shares, the changes of every pair of editions).
Each resource carries the SHA-256 of its CSV, so ``frictionless validate OUTPUT/datapackage.json`` checks
the files are the ones published together. The tables staged in a publication are validated with
frictionless before any is renamed into place; the first violation stops the publication with one line
naming the file, row, field and value, the input row it came from, and what to do.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath

from . import schema
from .cache import OUTPUT_STAMP, read_record
from .editions import EDITION_YEAR
from .errors import HakushoError
from .publish import Batch

PACKAGE_FILE = "datapackage.json"
PACKAGE_NAME = "hakusho"
PACKAGE_TITLE = "Japan's Defense White Paper (防衛白書) as tables"
PACKAGE_DESCRIPTION = (
    "Tables extracted from the editions of Japan's Defense White Paper, one row per fact with the "
    "edition, PDF file and page it came from, and what changed between editions. Each CSV has a Parquet "
    "twin with the same columns (integers as int64, numbers as float64, the rest as non-null strings;"
    " empty string = missing)."
)
EXTRACT_REMEDY = "run `hakusho extract` first"


def resources(batch: Batch, only: list[str] | None = None) -> list[dict]:
    """One resource per table the publication leaves in OUTPUT (or per CSV of ``only``), in schema order
    (changes: by pair); each file is read to hash it."""
    found = []
    for table in schema.load().tables.values():
        if "{" not in table.path_template:
            paths = [table.path()] if batch.exists(table.path()) else []
        else:
            paths = sorted(name for name in batch.names() if _matches(table.path_template, name))
        wanted = [name for name in paths if only is None or name in only]
        found += [_resource(table, name, batch.path(name).read_bytes()) for name in wanted]
    return found


def _matches(template: str, name: str) -> bool:
    pattern = re.escape(template).replace(r"\{old\}", EDITION_YEAR).replace(r"\{new\}", EDITION_YEAR)
    return re.fullmatch(pattern, name) is not None


def _resource(table: schema.Table, path: str, data: bytes) -> dict:
    folder = str(PurePosixPath(path).parent)
    name = table.name if folder == "." else f"{table.name}-{PurePosixPath(folder).name}"
    return {
        "name": name,
        "path": path,
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "schema": table.frictionless(),
    }


def descriptor(found: list[dict]) -> dict:
    """The Data Package; no timestamps."""
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "resources": found,
    }


def check(batch: Batch, paths: list[str], sources: dict[str, list[str]] | None = None) -> None:
    """Validate the staged CSVs ``paths`` against their schemas; the first violation raises HakushoError.

    ``sources``: per CSV, the input row each row came from (``build/2025/tables/x.csv row 7``), named in
    the error message.
    """
    staged = resources(batch, only=paths)
    if not staged:
        return
    from frictionless import Package

    report = Package(descriptor(staged), basepath=str(batch.staging)).validate()
    for task, resource in zip(report.tasks, staged, strict=True):
        if task.errors:
            raise HakushoError(error_message(resource["path"], task.errors, (sources or {}).get(resource["path"], [])))
    if not report.valid:
        raise HakushoError(f"{PACKAGE_FILE}: {report.errors[0].message}; this is a bug in pipeline/data/schema.json")


def publish_batch(batch: Batch) -> None:
    """Stage ``datapackage.json`` (every table OUTPUT will hold) and the stages' records, then commit.

    The records (``batch.records``: {stage: its cache record}) are merged into ``OUTPUT/.hakusho-run.json``,
    so that the next ``hakusho run`` knows what the published files were made from.
    """
    if not batch.staged and not batch.removed:
        return
    found = resources(batch)
    batch.write_text(PACKAGE_FILE, json.dumps(descriptor(found), ensure_ascii=False, indent=2) + "\n")
    stamp = read_record(batch.output / OUTPUT_STAMP) or {}
    text = json.dumps(stamp | batch.records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    batch.write_text(OUTPUT_STAMP, text)
    batch.commit(last=(OUTPUT_STAMP, PACKAGE_FILE))


def error_message(path: str, errors: list, sources: list[str]) -> str:
    """One line: the published file, row and field, the offending value, its input row, and what to do."""
    error = errors[0]
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    where = path + (f" row {row}" if row else "") + (f" field {field}" if field else "")
    cell = getattr(error, "cell", None)
    what = f"{cell!r} {describe(error)}" if field else error.note
    source = f" (from {sources[row - 2]})" if row and 2 <= row < len(sources) + 2 else ""
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
