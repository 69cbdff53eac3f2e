"""Which edition each source PDF is, checked before any work: a wrong file must not pass silently.

An English report dropped into ``SOURCES/2025/`` gave an edition titled 令和7年版 and a nonsense acronym;
the 2025 PDF copied into ``SOURCES/2024/`` gave a 2024 edition identical to 2025 and a diff saying "no
changes". Reading a few pages of each PDF is enough to tell: a handful of pages at the start and spread
through the file (``SAMPLE_PAGES``), read with pypdfium2 (hundreds of pages a second):

- the text is Japanese (``MIN_JAPANESE_SHARE`` of its letters), or the file is an error;
- the edition it prints in its running heads and feet (the top and bottom margins), or on its first page
  (a cover), is the most frequent 令和N年版 / 平成N年版; one that names another year than the folder is an
  error, unless the user says it is right (``accept_mismatch``);
- a PDF that never prints 防衛白書 in those places may be some other Japanese document: a warning, and a
  row in review (kept in ``BUILD/<year>/sources.json`` for the extract stage).

A file with little or no text, or that does not open, is left to the layout stage, which says what is
wrong with it (OCR needed, damaged, encrypted). The result for a
file is kept in ``sources.json`` with its SHA-256 and this code's version (``cache.stage_key``), so a warm
run does not open the PDFs again.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from .blocks import SOURCES_FILE, SourceNote
from .cache import stage_key
from .dates import EDITION_TITLE, era_to_year
from .editions import Edition
from .errors import HakushoError
from .files import write_text
from .normalize import is_japanese, normalize_text

# Pages read per file: the first FIRST_PAGES, and up to SPREAD_PAGES more spread evenly over the rest.
FIRST_PAGES = 6
SPREAD_PAGES = 10
# Of the letters on those pages (Latin letters, kana, kanji), at least this share must be Japanese.
MIN_JAPANESE_SHARE = 0.3
# Fewer letters than this on the pages read: too little to judge by (a scanned file, a figure).
MIN_LETTERS = 200
# Running heads and feet: the top and bottom of a page, as fractions of its height (layout's zones, a
# little wider: a title may sit just outside them).
MARGIN_TOP, MARGIN_BOTTOM = 0.1, 0.1
WHITE_PAPER_MARK = "防衛白書"
NO_MARK = f"no {WHITE_PAPER_MARK} in any running head or on the first page: is this the white paper?"


@dataclass(frozen=True)
class Identity:
    """What a few pages of one PDF say about it."""

    file: str
    sha256: str
    letters: int  # letters on the pages read
    japanese: float  # share of them that are Japanese
    title: str  # the edition it prints most often (令和7年版), or ""
    marked: bool  # 防衛白書 printed in a running head or on the first page


def sample_pages(count: int) -> list[int]:
    """The 0-based pages read of a file of ``count`` pages."""
    first = list(range(min(FIRST_PAGES, count)))
    rest = range(len(first), count)
    step = max(1, len(rest) // SPREAD_PAGES)
    return first + list(rest[step // 2 :: step])[:SPREAD_PAGES]


def identify(path: Path, sha256: str) -> Identity:
    """Read the sample pages of ``path`` (a PDF already checked to open) and say what they show."""
    import pypdfium2 as pdfium

    letters = japanese = 0
    titles: Counter = Counter()
    marked = False
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:  # damaged, encrypted: the layout stage says which
        return Identity(path.name, sha256, 0, 0.0, "", False)
    try:
        for index in sample_pages(len(document)):
            try:
                text, margins = _page_text(document, index)
            except pdfium.PdfiumError:  # a damaged page: the layout stage names it
                continue
            for char in text:
                if char.isalpha():
                    letters += 1
                    japanese += is_japanese(char)
            printed = [normalize_text(m) for m in margins] + ([text] if index == 0 else [])
            titles.update(match.group(0) for part in printed for match in EDITION_TITLE.finditer(part))
            marked = marked or any(WHITE_PAPER_MARK in part.replace(" ", "") for part in printed)
    finally:
        document.close()
    title = max(titles, key=lambda t: (titles[t], t)) if titles else ""
    return Identity(path.name, sha256, letters, round(japanese / letters, 3) if letters else 0.0, title, marked)


def _page_text(document, index: int) -> tuple[str, list[str]]:
    """A page's text, and the text of its top and bottom margins."""
    page = document[index]
    try:
        width, height = page.get_size()
        text_page = page.get_textpage()
        text = normalize_text(text_page.get_text_range())
        margins = [
            text_page.get_text_bounded(0, height * (1 - MARGIN_TOP), width, height),
            text_page.get_text_bounded(0, 0, width, height * MARGIN_BOTTOM),
        ]
        text_page.close()
        return text, margins
    finally:
        page.close()


def title_year(title: str) -> int:
    """令和7年版 → 2025."""
    match = EDITION_TITLE.fullmatch(title)
    assert match, title
    return era_to_year(match.group(1), match.group(2))


def check_edition(edition: Edition, build: Path, accept_mismatch: bool = False) -> list[str]:
    """Identify the edition's PDFs (cached in ``BUILD/<year>/sources.json``); the warnings to show.

    Raises HakushoError for a file that is not Japanese, or that prints another edition's title (unless
    ``accept_mismatch``).
    """
    cache_path = build / edition.name / SOURCES_FILE
    version = stage_key("identify", __name__, inputs={}, options={}).version  # this code's: the cache rule
    previous = cache_path.read_bytes() if cache_path.exists() else None
    cached = {}
    if previous is not None:
        try:
            kept = json.loads(previous.decode("utf-8"))
            cached = {row["sha256"]: row for row in kept["files"]} if kept.get("version") == version else {}
        except (ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
            cached = {}
    identities = []
    for path, digest in zip(edition.files, edition.digests, strict=True):
        row = cached.get(digest)
        identity = Identity(**{**row, "file": path.name}) if row else identify(path, digest)
        identities.append(identity)
        _check(path, identity, edition.year, accept_mismatch)
    notes = [SourceNote(file=i.file, reason=NO_MARK) for i in identities if i.letters >= MIN_LETTERS and not i.marked]
    record = {"files": [asdict(i) for i in identities], "notes": notes, "version": version}
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if previous != text.encode("utf-8"):
        write_text(cache_path, text)
    return [f"warning: {edition.name}/{note['file']}: {note['reason']} (listed in review)" for note in notes]


def _check(path: Path, identity: Identity, year: int, accept_mismatch: bool) -> None:
    if identity.letters < MIN_LETTERS:
        return
    if identity.japanese < MIN_JAPANESE_SHARE:
        raise HakushoError(
            f"{path}: its text is not Japanese (only {identity.japanese:.0%} of the letters on the pages read); "
            "this is not an edition of the white paper: remove it"
        )
    if identity.title and title_year(identity.title) != year and not accept_mismatch:
        raise HakushoError(
            f"{path}: it prints {identity.title}, the edition of {title_year(identity.title)}, but it is in the "
            f"folder of {year}; move it to {title_year(identity.title)}/, or run again with --accept-mismatch "
            "if the folder is right"
        )
