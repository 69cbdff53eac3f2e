"""How a published table is written: CSV (UTF-8, header, LF) and its Parquet twin, typed from the schema.

Shared by the dataset and the diff, so every table in OUTPUT follows the same rules:

- Same rows → byte-identical files: rows are sorted by a total order (the table's ``sortKey``, then
  every other column), and Parquet is written from an explicit Arrow schema without pandas metadata.
- Types come from the schema: integer fields are int64 (nullable only when the schema does not
  require them: the changes table's pages of an added or removed row), every other column is a
  non-null string, so that a missing value is an empty string in the CSV *and* in Parquet.
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
    """int64 for the integer fields (nullable when not required), non-null strings for the rest."""
    return pa.schema(
        [
            pa.field(f.name, pa.int64() if f.is_int else pa.string(), nullable=f.is_int and not f.required)
            for f in table.fields
        ]
    )


def typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """A copy of ``frame``'s columns of ``table`` with the integer ones as int64 (Int64 where a cell is empty)."""
    frame = frame[table.columns].copy()
    for name in table.int_columns:
        values = pd.to_numeric(frame[name].replace("", None), errors="raise")
        frame[name] = values.astype("Int64") if values.isna().any() else values.astype("int64")
    return frame


def parquet_bytes(frame: pd.DataFrame, table: Table) -> bytes:
    """``frame`` as Parquet with exactly the schema's types and no pandas metadata."""
    arrow = pa.Table.from_pandas(typed(frame, table), schema=arrow_schema(table), preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata(None), buffer, compression=PARQUET_COMPRESSION)
    return buffer.getvalue()


def sort_rows(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """``frame`` sorted by the table's sortKey then every other column (a total order); integers as numbers."""
    key = list(table.sort_key)
    order = key + [name for name in frame.columns if name not in key]
    ints = table.int_columns

    def sort_value(column: pd.Series) -> pd.Series:
        return pd.to_numeric(column, errors="coerce") if column.name in ints else column

    return frame.sort_values(order, key=sort_value, kind="stable", na_position="last").reset_index(drop=True)
