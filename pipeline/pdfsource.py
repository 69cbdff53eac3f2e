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


ENGINES = ("pdfplumber", "pypdfium2")


def page_count(path: Path, engine: str = "pdfplumber") -> int:
    """Number of pages, with the same checks as reading."""
    document = _open_pdfium(path) if engine == "pypdfium2" else _open(path)
    try:
        return len(document) if engine == "pypdfium2" else len(document.pages)
    finally:
        document.close()


def _plumber_page(pdf, number: int) -> RawPage:
    page = pdf.pages[number - 1]
    try:
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
    finally:
        page.close()


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    check_pdf_file(path)
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise HakushoError(f"{path}: encrypted PDF (needs a password); save an unencrypted copy") from exc
        raise HakushoError(f"{path}: damaged or truncated PDF ({exc}); download it again") from exc


def _pdfium_page(document, number: int) -> RawPage:
    """The same records from pypdfium2: loose character boxes are advance width × (descent, descent + size),
    as pdfminer's; unmapped glyphs (control characters) are marked like pdfminer's "(cid:NN)"."""
    import ctypes

    import pypdfium2.raw as raw

    page = document[number - 1]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        handle = textpage.raw
        name = ctypes.create_string_buffer(128)
        matrix, box, flags = raw.FS_MATRIX(), raw.FS_RECTF(), ctypes.c_int()
        glyphs = []
        font, font_key = "", None
        for i in range(raw.FPDFText_CountChars(handle)):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code != 0x20 and raw.FPDFText_IsGenerated(handle, i):
                continue  # pdfium's own line breaks; its generated spaces stand for drawn gaps, kept
            raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(box))
            font_size = raw.FPDFText_GetFontSize(handle, i)
            raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix))
            size = font_size * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            if font_size != font_key:  # names are informational and costly to read: re-read when the size changes
                raw.FPDFText_GetFontInfo(handle, i, name, len(name), ctypes.byref(flags))
                font, font_key = name.value.decode("latin-1"), font_size
            text = chr(code) if code >= 0x20 else f"{CID_MARK}{code})"
            top = height - (box.bottom + size)
            glyphs.append(Glyph(text, box.left, top, box.right, top + size, round(size, 2), font))
        frames, images = [], 0
        for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE), max_depth=4):
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                images += 1
                continue
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
            segments = range(raw.FPDFPath_CountSegments(obj.raw))
            curved = any(
                raw.FPDFPathSegment_GetType(raw.FPDFPath_GetPathSegment(obj.raw, k)) == raw.FPDF_SEGMENT_BEZIERTO
                for k in segments
            )
            x0, y0, x1, y1 = obj.get_bounds()
            frames.append(
                Frame(
                    x0,
                    height - y1,
                    x1,
                    height - y0,
                    bool(fill.value),
                    bool(stroke.value),
                    "curve" if curved else "rect",
                )
            )
        return RawPage(number, float(width), float(height), glyphs, frames, images)
    finally:
        page.close()


def read_pages(path: Path, numbers: list[int] | None = None, engine: str = "pdfplumber") -> Iterator[RawPage]:
    """The pages of ``path`` (1-based ``numbers``, default all), each closed after use.

    The file is opened (and checked) now, the pages are read as the iterator is advanced.
    """
    if engine == "pypdfium2":
        document = _open_pdfium(path)
        return _iter_pages(document, len(document), _pdfium_page, path, numbers)
    pdf = _open(path)
    return _iter_pages(pdf, len(pdf.pages), _plumber_page, path, numbers)


def _iter_pages(document, total: int, read_page, path: Path, numbers: list[int] | None) -> Iterator[RawPage]:
    try:
        for number in numbers or range(1, total + 1):
            if not 1 <= number <= total:
                raise HakushoError(f"{path}: page {number} does not exist (the file has {total} pages)")
            try:
                yield read_page(document, number)
            except HakushoError:
                raise
            except Exception as exc:
                raise HakushoError(
                    f"{path}: page {number}: cannot be read ({type(exc).__name__}: {exc}); "
                    "the file may be damaged, download it again"
                ) from exc
    finally:
        document.close()
