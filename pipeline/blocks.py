"""The layout → extract contract: what ``blocks.jsonl`` and ``pages.jsonl`` hold, declared once (and the
notes ``identify`` keeps about whole files in ``sources.json``).

The layout stage writes these records and the extract stage reads them, through the files only. They
are TypedDicts, not dataclasses: a block is a JSON object on disk and a dict in memory, so the JSON is
written as built (keys in the order declared here) and read back without conversion; the declaration
is what both sides import, and ``read_blocks`` checks every record against it, so a field renamed on one
side is a clear error instead of a ``KeyError`` deep in a rule. A new field is added here first (and to
the README's table of block fields), then written by layout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

from .errors import HakushoError

LAYOUT_REMEDY = "run `hakusho layout --force` (or `make extract`) again"


class Mark(TypedDict):
    """A footnote marker taken out of the text: where it was (character offset) and what it said."""

    offset: int
    mark: str


class Ruby(TypedDict):
    """Small text set over base glyphs (an English expansion over its abbreviation, kana over kanji): the
    base text it annotates (character offset and length) and what it says. Never part of ``text``."""

    offset: int
    length: int
    text: str


class Part(TypedDict):
    """One piece of a block that a column or page break cut: where it sits."""

    page: int
    column: int
    bbox: list[float]


class Block(TypedDict):
    """A paragraph, heading, box, caption, footnote, header or footer, in reading order (README: blocks.jsonl)."""

    edition: str
    file: str
    page: int
    printed_page: str
    kind: str
    label: str
    title: str
    level: int
    column: int
    bbox: list[float]
    font_size: float
    text: str
    footnote_marks: list[Mark]
    ruby: list[Ruby]  # over ``text``
    title_ruby: list[Ruby]  # over ``title``
    parts: list[Part]


class PageReport(TypedDict):
    """One page of ``pages.jsonl``: whether its text could be read (``status``) and why not."""

    file: str
    page: int
    status: str
    reason: str
    glyphs: int
    garbled: int  # lines made mostly of characters that do not belong in a Japanese book, left out


def heading_paths(blocks: list[dict], max_level: int | None = None) -> list[str]:
    """The heading path (level 1 > level 2 > …) in force at each block ("" before the first heading); with
    ``max_level``, headings below that level are not part of it (chapters: level 1 > level 2)."""
    stack: list[tuple[int, str]] = []
    paths = []
    for block in blocks:
        if block["kind"] == "heading":
            level = block.get("level") or 1
            if max_level is None or level <= max_level:
                stack = [(lvl, text) for lvl, text in stack if lvl < level] + [(level, block["text"])]
        paths.append(" > ".join(text for _, text in stack))
    return paths


def _read(path: Path, record: type) -> list:
    """The JSON lines of ``path``, each checked to have exactly the fields of ``record``."""
    fields = set(record.__annotations__)
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise HakushoError(f"{path}: line {number}: not JSON ({exc.msg}); {LAYOUT_REMEDY}") from exc
                if not isinstance(row, dict) or set(row) != fields:
                    got = sorted(row) if isinstance(row, dict) else type(row).__name__
                    raise HakushoError(
                        f"{path}: line {number}: not a {record.__name__} record (fields {got}, expected "
                        f"{sorted(fields)}); {LAYOUT_REMEDY}"
                    )
                rows.append(row)
    except FileNotFoundError as exc:
        raise HakushoError(f"{path}: missing; {LAYOUT_REMEDY}") from exc
    return rows


def read_blocks(path: Path) -> list[Block]:
    """The blocks of ``blocks.jsonl``, in reading order."""
    return _read(path, Block)


def read_pages(path: Path) -> list[PageReport]:
    """The page reports of ``pages.jsonl``."""
    return _read(path, PageReport)


SOURCES_FILE = "sources.json"


class SourceNote(TypedDict):
    """What ``identify`` found wrong with a whole PDF, for the edition's review table."""

    file: str
    reason: str


def read_source_notes(edition_dir: Path) -> list[SourceNote]:
    """The notes ``identify`` kept for an edition; none if its sources were not checked."""
    path = edition_dir / SOURCES_FILE
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("notes", [])
