"""How a published table is written: CSV (UTF-8, header, LF) and its Parquet twin, typed from the schema.

Shared by the dataset and the diff, so every table in OUTPUT follows the same rules:

- Same rows → byte-identical files: rows are sorted by a total order (the table's ``sortKey``, then
  every other column), and Parquet is written from an explicit Arrow schema without pandas metadata.
- Types come from the schema: integer fields are int64 (nullable only when the schema does not
  require them: the changes table's pages of an added or removed row), number fields float64 (a share),
  every other column is a non-null string, so that a missing value is an empty string in the CSV *and*
  in Parquet.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import Table

PARQUET_COMPRESSION = "zstd"


def read_csv(path) -> pd.DataFrame:
    """A CSV as strings, empty cells as empty strings (how every table in BUILD and OUTPUT is read)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a header and LF line ends; empty strings and nulls as empty cells."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def arrow_schema(table: Table) -> pa.Schema:
    """int64 for the integer fields, float64 for the numbers (nullable when not required), non-null strings else."""
    return pa.schema(
        [pa.field(f.name, _arrow_type(f), nullable=(f.is_int or f.is_number) and not f.required) for f in table.fields]
    )


def _arrow_type(field) -> pa.DataType:
    return pa.int64() if field.is_int else pa.float64() if field.is_number else pa.string()


def typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """``frame``'s columns of ``table`` (a copy): integers as int64 (Int64 if a cell is empty), numbers as float64."""
    frame = frame[table.columns].copy()
    for name in table.int_columns:
        values = pd.to_numeric(frame[name].replace("", None), errors="raise")
        frame[name] = values.astype("Int64") if values.isna().any() else values.astype("int64")
    for name in table.number_columns:
        frame[name] = pd.to_numeric(frame[name].replace("", None), errors="raise").astype("float64")
    return frame


def parquet_bytes(frame: pd.DataFrame, table: Table) -> bytes:
    """``frame`` as Parquet with exactly the schema's types and no pandas metadata."""
    arrow = pa.Table.from_pandas(typed(frame, table), schema=arrow_schema(table), preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata(None), buffer, compression=PARQUET_COMPRESSION)
    return buffer.getvalue()


def sort_rows(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """``frame`` sorted by the table's sortKey then every other column (a total order); numbers as numbers."""
    key = list(table.sort_key)
    order = key + [name for name in frame.columns if name not in key]
    numeric = table.int_columns + table.number_columns

    def sort_value(column: pd.Series) -> pd.Series:
        return pd.to_numeric(column, errors="coerce") if column.name in numeric else column

    return frame.sort_values(order, key=sort_value, kind="stable", na_position="last").reset_index(drop=True)
