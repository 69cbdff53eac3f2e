"""The vocabularies: small CSV tables in ``pipeline/data/`` that a domain expert can read and extend.

Rules read them through ``table(name)`` (cached, read once per process); the code that applies them
stays short, and a new wording is a new row, not a code change.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/<name>`` as dicts (UTF-8 CSV with a header row)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))
