"""Reading a PDF's text layer and drawing into plain records, and refusing files that are not usable PDFs.

The layout stage never touches pdfplumber objects directly: it works on ``Glyph`` and ``Frame``
records, so the character source can be swapped and pages can be read in worker processes. Three
engines give these records:

- ``pdfplumber``: ``page.chars`` / ``rects`` / ``curves``, the reference;
- ``pdfminer`` (the default): pdfminer.six, which pdfplumber is built on, run with a device that keeps
  each character as a tuple, and pdfplumber's coordinate arithmetic on top. Identical records (tested
  on every fixture) at a third of the cost: pdfplumber spends as long turning each character into a
  30-key dictionary as pdfminer spends parsing it;
- ``pypdfium2``: experimental, much faster, but its records differ from pdfminer's (see ``_pdfium_page``).

Pages are closed as soon as their records are copied out: pdfplumber's per-page caches otherwise grow
to gigabytes over a 550-page book.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import NamedTuple

from .errors import HakushoError

HEADER_PROBE_BYTES = 1024
CID_MARK = "(cid:"

logging.getLogger("pdfminer").setLevel(logging.ERROR)


class Glyph(NamedTuple):
    """One character as drawn: text, box in PDF points (top-left origin), font size and name.

    A named tuple: a page has thousands, and it is made three times faster than a frozen dataclass."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str


class Frame(NamedTuple):
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
    sideways: int = 0  # characters left out because they are not upright (rotated text), as pdfplumber does


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
        raise HakushoError(f"{path}: damaged or truncated PDF ({damage(exc)}); download it again") from exc
    except Exception as exc:  # pdfminer raises many types on broken files, pdfplumber wraps some
        if isinstance(exc.__cause__ or exc.__context__, HakushoError):
            raise (exc.__cause__ or exc.__context__) from None
        causes = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}".lower()
        if "password" in causes or "encrypt" in causes:
            raise HakushoError(f"{path}: encrypted PDF (needs a password); save an unencrypted copy") from exc
        raise HakushoError(f"{path}: damaged or truncated PDF ({damage(exc)}); download it again") from exc
    return pdf


def damage(exc: BaseException) -> str:
    """What the parser found wrong, in words (from the chain of errors, never a class name)."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__ or next((a for a in exc.args if isinstance(a, BaseException)), None)
    if any(type(e).__name__ == "PSEOF" for e in chain):
        return "the file ends before the PDF does: it was cut short"
    text = next((str(e).strip(" !") for e in chain if str(e).strip(" !")), "")
    return f"the PDF parser says: {text}" if text else "its structure cannot be read"


ENGINES = ("pdfminer", "pdfplumber", "pypdfium2")
DEFAULT_ENGINE = "pdfminer"


def _plumber_page(pdf, number: int) -> RawPage:
    page = pdf.pages[number - 1]
    try:
        upright = [c for c in page.chars if c.get("upright", True)]
        glyphs = [
            Glyph(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], round(c["size"], 2), c.get("fontname", ""))
            for c in upright
        ]
        frames = [
            Frame(o["x0"], o["top"], o["x1"], o["bottom"], bool(o.get("fill")), bool(o.get("stroke")), shape)
            for shape, objects in (("rect", page.rects), ("curve", page.curves))
            for o in objects
        ]
        sideways = len(page.chars) - len(upright)
        return RawPage(number, float(page.width), float(page.height), glyphs, frames, len(page.images), sideways)
    finally:
        page.close()


@lru_cache(maxsize=1)
def _glyph_device_class():
    """pdfminer's page aggregator, except that characters become plain tuples in content-stream order.

    Building an ``LTChar`` per character (then pdfplumber's dictionary from it) is most of what reading
    costs beyond parsing. The box arithmetic below is ``LTChar.__init__``'s, operation for operation,
    so the numbers are the same floats; vertical fonts, rare, still go through ``LTChar``. Paths,
    images and figures stay pdfminer's objects. Stream order is the order pdfplumber lists characters
    in: its depth-first walk puts a figure's characters where the figure was drawn.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class GlyphDevice(PDFPageAggregator):
        def __init__(self, rsrcmgr, pageno: int, fonts: dict):
            super().__init__(rsrcmgr, pageno=pageno, laparams=None)
            self.chars: list[tuple] = []  # (text, x0, y0, x1, y1, size, font) of upright characters
            self.sideways = 0  # characters that are not upright
            self.fonts = fonts  # (font, cid) → (text, width, descent, font name), horizontal fonts, all pages

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
            known = self.fonts.get((font, cid))
            if known is None:
                try:
                    text = font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    text = self.handle_undefined_char(font, cid)
                if font.is_vertical():
                    char = LTChar(matrix, font, fontsize, scaling, rise, text, font.char_width(cid),
                                  font.char_disp(cid), ncs, graphicstate)  # fmt: skip
                    if char.upright:
                        self.chars.append((text, char.x0, char.y0, char.x1, char.y1, char.size, char.fontname))
                    else:
                        self.sideways += 1
                    return char.adv
                known = self.fonts[font, cid] = (text, font.char_width(cid), font.get_descent(), font.fontname)
            text, width, descent, fontname = known
            adv = width * fontsize * scaling
            a, b, c, d, e, f = matrix
            if a * d * scaling > 0 and b * c <= 0:  # LTChar.upright; pdfplumber's chars are filtered on it
                bottom = descent * fontsize + rise
                top = bottom + fontsize
                # apply_matrix_rect of (0, bottom, adv, top), min/max over the corners in its order (x: lb lt rb rt,
                # y: lb rb rt lt), so that even a tie between 0.0 and -0.0 comes out the same; min and max written
                # out as the same comparisons (two tuples and four calls per character cost more)
                x0 = x1 = a * 0 + c * bottom + e
                for x in (a * 0 + c * top + e, a * adv + c * bottom + e, a * adv + c * top + e):
                    if x < x0:
                        x0 = x
                    if x > x1:
                        x1 = x
                y0 = y1 = b * 0 + d * bottom + f
                for y in (b * adv + d * bottom + f, b * adv + d * top + f, b * 0 + d * top + f):
                    if y < y0:
                        y0 = y
                    if y > y1:
                        y1 = y
                self.chars.append((text, x0, y0, x1, y1, y1 - y0, fontname))
            else:
                self.sideways += 1
            return adv

    return GlyphDevice


@lru_cache(maxsize=4096)
def _round_size(size: float) -> float:
    """``round(size, 2)`` once per distinct size: rounding to decimal digits is slow, and a page's glyphs
    share a few sizes."""
    return round(size, 2)


def _pdfminer_page(pdf, number: int, fonts: dict) -> RawPage:
    """``_plumber_page``'s records computed from pdfminer directly: same parser, same arithmetic,
    without an object and a 30-key dictionary per character. ``fonts`` caches what each character
    code of each font gives (its Unicode text and metrics) for the document's lifetime."""
    from pdfminer.layout import LTContainer, LTCurve, LTImage, LTLine, LTRect
    from pdfminer.pdfinterp import PDFPageInterpreter

    page = pdf.pages[number - 1]
    device = _glyph_device_class()(pdf.rsrcmgr, page.page_number, fonts)
    try:
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    finally:
        page.close()
    rects, curves, images = [], [], 0
    stack = [iter(device.get_result())]
    while stack:  # pdfplumber's Page.iter_layout_objects: depth first, into figures
        for obj in stack[-1]:
            if isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
            if isinstance(obj, LTRect):
                rects.append(obj)
            elif isinstance(obj, LTCurve) and not isinstance(obj, LTLine):
                curves.append(obj)
            elif isinstance(obj, LTImage):
                images += 1
        else:
            stack.pop()
    height = page.height
    left, top = page.mediabox[:2]  # pdfplumber's shift to the media box (x only when left != 0: -0.0 + 0 is 0.0)
    glyphs = [
        Glyph(
            text,
            x0 + left if left else x0,
            height - y1 + top,
            x1 + left if left else x1,
            height - y0 + top,
            _round_size(size),
            font,
        )
        for text, x0, y0, x1, y1, size, font in device.chars
    ]
    frames = [
        Frame(
            o.x0 + left if left else o.x0,
            height - o.y1 + top,
            o.x1 + left if left else o.x1,
            height - o.y0 + top,
            bool(o.fill),
            bool(o.stroke),
            shape,
        )
        for shape, objects in (("rect", rects), ("curve", curves))
        for o in objects
    ]
    return RawPage(number, float(page.width), float(height), glyphs, frames, images, device.sideways)


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
    as pdfminer's; unmapped glyphs (control characters) are marked like pdfminer's "(cid:NN)". Rotated
    characters are kept, not counted in ``sideways`` (one of the ways this engine differs)."""
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


class Document:
    """One open PDF read with one engine: ``page_count`` and ``page(number)``; bad files fail on opening.

    Opening costs (the page tree, then fonts and CMaps parsed again for the first pages that use them),
    so a worker process keeps one Document for all the pages it reads.
    """

    def __init__(self, path: Path, engine: str = DEFAULT_ENGINE):
        if engine not in ENGINES:
            raise HakushoError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.path, self.engine = path, engine
        if engine == "pypdfium2":
            self._pdf = _open_pdfium(path)
            self.page_count = len(self._pdf)
            self._read = _pdfium_page
        else:
            self._pdf = _open(path)
            self.page_count = len(self._pdf.pages)
            self._read = _plumber_page if engine == "pdfplumber" else partial(_pdfminer_page, fonts={})

    def page(self, number: int) -> RawPage:
        """Page ``number`` (1-based); what goes wrong on the way is a HakushoError naming file and page."""
        if not 1 <= number <= self.page_count:
            raise HakushoError(f"{self.path}: page {number} does not exist (the file has {self.page_count} pages)")
        try:
            return self._read(self._pdf, number)
        except HakushoError:
            raise
        except Exception as exc:
            detail = damage(exc)
            before = [f"1-{number - 1}" if number > 2 else "1"] if number > 1 else []
            keep = ",".join(before + ([f"{number + 1}-z"] if number < self.page_count else []))
            raise HakushoError(
                f"{self.path}: page {number}: cannot be read ({detail}); the file may be damaged: download it "
                f"again, or leave the page out (qpdf {self.path.name} --pages . {keep} -- without-page-{number}.pdf)"
            ) from exc

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def page_count(path: Path, engine: str = DEFAULT_ENGINE) -> int:
    """Number of pages, with the same checks as reading."""
    with Document(path, engine) as document:
        return document.page_count


def read_pages(path: Path, numbers: list[int] | None = None, engine: str = DEFAULT_ENGINE) -> Iterator[RawPage]:
    """The pages of ``path`` (1-based ``numbers``, default all), each closed after use.

    The file is opened (and checked) now, the pages are read as the iterator is advanced.
    """
    document = Document(path, engine)
    return _iter_pages(document, numbers or range(1, document.page_count + 1))


def _iter_pages(document: Document, numbers) -> Iterator[RawPage]:
    with document:
        for number in numbers:
            yield document.page(number)
