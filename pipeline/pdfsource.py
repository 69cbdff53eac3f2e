"""Reading a PDF's text layer and drawing into plain records, and refusing files that are not usable PDFs.

The layout stage never touches pdfplumber objects directly: it works on ``Glyph`` and ``Frame``
records, so the character source can be swapped (pdfplumber is the reference engine) and pages can
be read in worker processes. Each page is closed as soon as its records are copied out: pdfminer's
caches otherwise grow to gigabytes over a 550-page book.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import HakushoError

HEADER_PROBE_BYTES = 1024
CID_MARK = "(cid:"

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character as drawn: text, box in PDF points (top-left origin), font size and name."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str


@dataclass(frozen=True, slots=True)
class Frame:
    """A drawn rectangle or closed curve that may frame a box: bbox and whether it is filled/stroked."""

    x0: float
    top: float
    x1: float
    bottom: float
    filled: bool
    stroked: bool
    shape: str  # "rect" or "curve"


@dataclass(slots=True)
class RawPage:
    """What the layout stage needs from one page."""

    number: int  # physical, 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    frames: list[Frame]
    image_count: int


def check_pdf_file(path: Path) -> None:
    """Refuse files that cannot be a PDF before a parser sees them, with a message that says what to do."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(HEADER_PROBE_BYTES)
    except OSError as exc:
        raise HakushoError(f"{path}: cannot read ({exc.strerror})") from exc
    if size == 0:
        raise HakushoError(f"{path}: empty file (0 bytes); download it again or remove it")
    if b"%PDF-" not in head:
        what = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise HakushoError(f"{path}: {what}, not a PDF; download the edition again or remove the file")


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    check_pdf_file(path)
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # forces the page tree to be read, where truncated files fail
    except HakushoError:
        raise
    except PDFPasswordIncorrect as exc:
        raise HakushoError(f"{path}: encrypted PDF (needs a password); save an unencrypted copy") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise HakushoError(f"{path}: damaged or truncated PDF ({type(exc).__name__}); download it again") from exc
    except Exception as exc:  # pdfminer raises many types on broken files, pdfplumber wraps some
        if isinstance(exc.__cause__ or exc.__context__, HakushoError):
            raise (exc.__cause__ or exc.__context__) from None
        causes = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}".lower()
        if "password" in causes or "encrypt" in causes:
            raise HakushoError(f"{path}: encrypted PDF (needs a password); save an unencrypted copy") from exc
        raise HakushoError(f"{path}: damaged or truncated PDF ({type(exc).__name__}); download it again") from exc
    return pdf


def page_count(path: Path) -> int:
    """Number of pages, with the same checks as reading."""
    pdf = _open(path)
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def _raw_page(page, number: int) -> RawPage:
    glyphs = [
        Glyph(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], round(c["size"], 2), c.get("fontname", ""))
        for c in page.chars
        if c.get("upright", True)
    ]
    frames = [
        Frame(o["x0"], o["top"], o["x1"], o["bottom"], bool(o.get("fill")), bool(o.get("stroke")), shape)
        for shape, objects in (("rect", page.rects), ("curve", page.curves))
        for o in objects
    ]
    return RawPage(number, float(page.width), float(page.height), glyphs, frames, len(page.images))


def read_pages(path: Path, numbers: list[int] | None = None) -> Iterator[RawPage]:
    """The pages of ``path`` (1-based ``numbers``, default all), each closed after use.

    The file is opened (and checked) now, the pages are read as the iterator is advanced.
    """
    return _iter_pages(_open(path), path, numbers)


def _iter_pages(pdf, path: Path, numbers: list[int] | None) -> Iterator[RawPage]:
    try:
        total = len(pdf.pages)
        for number in numbers or range(1, total + 1):
            if not 1 <= number <= total:
                raise HakushoError(f"{path}: page {number} does not exist (the file has {total} pages)")
            page = pdf.pages[number - 1]
            try:
                raw = _raw_page(page, number)
            except HakushoError:
                raise
            except Exception as exc:
                raise HakushoError(
                    f"{path}: page {number}: cannot be read ({type(exc).__name__}: {exc}); "
                    "the file may be damaged, download it again"
                ) from exc
            finally:
                page.close()
            yield raw
    finally:
        pdf.close()
