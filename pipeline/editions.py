"""Finding the editions in a sources folder: ``SOURCES/<year>/*.pdf`` (and the review decisions), nothing else.

A folder that does not follow the convention is an error, not something skipped quietly: a user who
drops ``R07zenpen.pdf`` straight into SOURCES, or names a folder ``2025-draft``, must be told. The one
file SOURCES holds besides the edition folders is ``decisions.csv``, the review decisions about those
editions' rows (``pipeline/decisions.py``), kept with the sources they are about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import HakushoError
from .files import sha256_file

# An edition's year, as its folders, tables and editions.toml name it (the one definition of it).
EDITION_YEAR = r"(?:19[5-9]\d|20\d\d)"
YEAR_FOLDER = re.compile(rf"^{EDITION_YEAR}$")
NAME_REMEDY = "rename it to the edition's year, e.g. 2025"
# Files that may sit in SOURCES or an edition folder without being editions or PDFs.
IGNORED = re.compile(r"^(\..*|README(\..*)?|.*\.md|.*\.part)$", re.IGNORECASE)
# The review decisions of a sources folder: SOURCES/decisions.csv (not in an edition folder).
DECISIONS_FILE = "decisions.csv"


@dataclass(frozen=True)
class Edition:
    """One edition of the white paper and what we know of it.

    A sources folder gives its local PDFs (``files``, in the order they are read: file-name order) with
    their SHA-256 (``digests``); ``sources/editions.toml`` gives its printed ``title``, the addresses of
    its PDFs (``urls``, file-name order) and whether they were checked (``verified``). ``name`` is the
    year as folders and tables write it ("2025").
    """

    year: int
    title: str = ""
    files: tuple[Path, ...] = ()
    digests: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    verified: bool = False

    @property
    def name(self) -> str:
        return str(self.year)


def find_editions(sources: Path) -> list[Edition]:
    """All editions under ``sources``, oldest first; raises HakushoError on anything unexpected."""
    if not sources.is_dir():
        raise HakushoError(f"{sources}: no such folder; give a folder with one sub-folder per edition year")
    editions = []
    for entry in sorted(sources.iterdir()):
        if IGNORED.match(entry.name) or (entry.name == DECISIONS_FILE and entry.is_file()):
            continue
        if not entry.is_dir():
            raise HakushoError(
                f"{entry}: not an edition folder; put each edition's PDFs in SOURCES/<year>/ (e.g. {sources}/2025/)"
            )
        if not YEAR_FOLDER.match(entry.name):
            raise HakushoError(f"{entry}: edition folder name is not a year; {NAME_REMEDY}")
        editions.append(_local_edition(entry))
    if not editions:
        raise HakushoError(f"{sources}: no edition folders; add SOURCES/<year>/*.pdf (e.g. {sources}/2025/)")
    _no_file_in_two_editions(editions)
    return editions


def _no_file_in_two_editions(editions: list[Edition]) -> None:
    """The same PDF (by content) under two years is a copy in the wrong place, not two editions."""
    seen: dict[str, Path] = {}
    for edition in editions:
        for path, digest in zip(edition.files, edition.digests, strict=True):
            if digest in seen:
                raise HakushoError(
                    f"{path}: same content as {seen[digest]} (another edition); each edition has its own PDFs: "
                    "remove the copy from the wrong year"
                )
            seen[digest] = path


def edition_from_folder(folder: Path) -> Edition:
    """A single edition folder given directly (``hakusho layout sources/pdf/2025``)."""
    if not YEAR_FOLDER.match(folder.name):
        raise HakushoError(f"{folder}: edition folder name is not a year; {NAME_REMEDY}")
    return _local_edition(folder)


def _local_edition(folder: Path) -> Edition:
    pdfs, others = [], []
    for path in sorted(folder.iterdir()):
        if IGNORED.match(path.name):
            continue
        (pdfs if path.suffix.lower() == ".pdf" and path.is_file() else others).append(path)
    if others:
        raise HakushoError(f"{others[0]}: not a PDF; an edition folder holds only the edition's PDF files")
    if not pdfs:
        raise HakushoError(f"{folder}: empty edition folder; put the edition's PDF files in it or remove it")
    seen: dict[str, Path] = {}
    for path in pdfs:
        digest = sha256_file(path)
        if digest in seen:
            raise HakushoError(f"{path}: same content as {seen[digest].name}; remove one of the two copies")
        seen[digest] = path
    return Edition(int(folder.name), files=tuple(pdfs), digests=tuple(seen))
