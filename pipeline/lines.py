"""From glyphs to text lines: Japanese-aware spacing, superscript footnote markers, boxes from frames.

This is the per-page half of the layout stage (it needs only one page, so it can run in a worker).
Glyphs are taken in content-stream order, which is the order the producer wrote them: sorting by
x breaks lines where CJK punctuation is squeezed (a ``「`` drawn left of the ``(`` before it).
A line ends where the next glyph leaves the line's band or jumps far sideways (a column gutter).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from .normalize import collapse_spaces, is_japanese, normalize_text
from .pdfsource import CID_MARK, Frame, Glyph, RawPage

# A glyph further than this from the previous one (in ems of the line's size) starts a new line.
LINE_BREAK_GAP_EM = 1.4
# A glyph may start this far left of the previous one's start and still continue the line (squeezed CJK).
BACKSTEP_EM = 0.6
# Superscripts: at most this fraction of the line's size, and raised by at least this many ems.
SUPERSCRIPT_SIZE_RATIO = 0.8
SUPERSCRIPT_RAISE_EM = 0.15
# Between two Latin glyphs, a gap this much wider than the line's usual spacing is a word space.
WORD_GAP_EM = 0.22
# Any gap this much wider than the usual spacing separates words, even next to Japanese (dropped later
# between two Japanese characters: justification, not a space).
WIDE_GAP_EM = 1.0
# Frames smaller than this (points) are rules or decorations, not boxes.
BOX_MIN_WIDTH_PT = 40.0
BOX_MIN_HEIGHT_PT = 16.0
# Frames covering more than this fraction of the page are page backgrounds.
BOX_MAX_PAGE_FRACTION = 0.8
# Frames whose edges line up within this distance (points) are one box (a heading bar over a frame).
FRAME_SNAP_PT = 3.0
# A page whose glyphs are mostly unmapped "(cid:NN)" has no usable text.
CID_PAGE_RATIO = 0.3
# Rotated (not upright) characters are not read. A page with at least this many of them besides its
# upright text is listed for review: a table or passage set sideways, not an axis label or two.
SIDEWAYS_REVIEW_MIN = 40

FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*＊†‡])$")


@dataclass
class Line:
    """One line of text: its box, dominant size and font, text, and footnote markers taken out of it."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    text: str
    marks: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, marker)
    space_after: bool = False  # the line ends with a drawn space ("(FOIP) " + "というビジョン")

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)


@dataclass
class Box:
    """A framed or shaded region and the lines inside it."""

    x0: float
    top: float
    x1: float
    bottom: float
    shape: str
    lines: list[Line] = field(default_factory=list)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom


@dataclass
class PageLines:
    """The result of reading one page: lines outside boxes, boxes with their lines, and a status."""

    number: int
    width: float
    height: float
    lines: list[Line]
    boxes: list[Box]
    status: str  # "ok", "blank", "no_text", "cid", "rotated" (only rotated text), "partly_rotated"
    reason: str = ""
    glyph_count: int = 0


def dominant(values: list) -> object:
    """The most common value (ties: the larger), deterministic."""
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda v: (counts[v], v))


def _runs(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Split glyphs, in stream order, into runs that each sit on one line.

    The hottest loop of the layout stage (every glyph of the book): comparisons are written out
    rather than calling min/max."""
    runs: list[list[Glyph]] = []
    current: list[Glyph] = []
    size = top = bottom = last_x0 = last_x1 = 0.0
    for glyph in glyphs:
        text, x0, g_top, x1, g_bottom, g_size, _ = glyph
        if not text.strip():
            if current:
                current.append(glyph)
                if x1 > last_x1:
                    last_x1 = x1
            continue
        if current:
            overlap = (bottom if bottom < g_bottom else g_bottom) - (top if top > g_top else g_top)
            band, g_band = bottom - top, g_bottom - g_top
            same_band = overlap >= 0.5 * (band if band < g_band else g_band)
            raised_small = g_size <= SUPERSCRIPT_SIZE_RATIO * size and overlap > 0
            near = x0 >= last_x0 - BACKSTEP_EM * size and x0 - last_x1 <= LINE_BREAK_GAP_EM * size
            if (same_band or raised_small) and near:
                current.append(glyph)
                if g_size > SUPERSCRIPT_SIZE_RATIO * size:
                    size = g_size if g_size > size else size
                    top = g_top if g_top < top else top
                    bottom = g_bottom if g_bottom > bottom else bottom
                last_x0, last_x1 = x0, x1
                continue
            runs.append(current)
        current = [glyph]
        size, top, bottom, last_x0, last_x1 = g_size, g_top, g_bottom, x0, x1
    if current:
        runs.append(current)
    return runs


def _line_from_run(run: list[Glyph]) -> Line | None:
    """Assemble a line's text: footnote superscripts out, spaces only where a reader would put one."""
    visible = [g for g in run if g.text.strip()]
    if not visible:
        return None
    size = float(dominant([g.size for g in visible]))
    normal = [g for g in visible if g.size > SUPERSCRIPT_SIZE_RATIO * size]
    baseline = statistics.median(g.bottom for g in normal)
    font = str(dominant([g.font for g in normal]))
    gaps = [b.x0 - a.x1 for a, b in zip(normal, normal[1:], strict=False) if b.x0 >= a.x1 - 0.1 * size]
    tracking = max(0.0, statistics.median(gaps)) if gaps else 0.0

    text: list[str] = []
    marks: list[tuple[int, str]] = []
    pending_mark = ""
    previous: Glyph | None = None
    explicit_space = False
    small, raised_below = SUPERSCRIPT_SIZE_RATIO * size, baseline - SUPERSCRIPT_RAISE_EM * size
    word_gap, wide_gap = tracking + WORD_GAP_EM * size, tracking + WIDE_GAP_EM * size
    for glyph in run:
        if not glyph.text.strip():
            explicit_space = previous is not None
            continue
        char = _normalized(glyph.text)
        if glyph.size <= small and glyph.bottom < raised_below:  # raised: a footnote marker?
            candidate = (pending_mark + char).strip()
            if candidate and FOOTNOTE_MARK.match(candidate):
                pending_mark += char
                continue
        if pending_mark:
            marks.append((len("".join(text)), pending_mark))
            pending_mark = ""
        if previous is not None and text:
            gap = glyph.x0 - previous.x1
            if (
                explicit_space
                or gap > wide_gap
                or (gap > word_gap and not is_japanese(text[-1][-1]) and not is_japanese(char[0]))
            ):
                text.append(" ")
        text.append(char)
        previous = glyph
        explicit_space = False
    if pending_mark:
        marks.append((len("".join(text)), pending_mark))
    raw = "".join(text)
    cleaned = collapse_spaces(raw)
    if cleaned != raw:  # keep marker offsets true after spaces are dropped
        marks = [(len(collapse_spaces(raw[:offset])), mark) for offset, mark in marks]
    return Line(
        x0=min(g.x0 for g in visible),
        top=min(g.top for g in normal),
        x1=max(g.x1 for g in visible),
        bottom=max(g.bottom for g in normal),
        size=size,
        font=font,
        text=cleaned,
        marks=marks,
        space_after=explicit_space,
    )


@lru_cache(maxsize=4096)
def _normalized(text: str) -> str:
    """``normalize_text`` of one glyph's text (a page repeats a few hundred distinct characters)."""
    return normalize_text(text)


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Lines of a page in stream order (superscript-only runs are attached to the line they sit on)."""
    lines = [line for run in _runs(glyphs) if (line := _line_from_run(run)) is not None]
    return [line for line in lines if line.text]


def _boxes(frames: list[Frame], width: float, height: float) -> list[Box]:
    """Outermost frames big enough to hold text; frames that abut with the same sides become one box."""
    candidates = [
        [f.x0, f.top, f.x1, f.bottom, f.shape]
        for f in frames
        if f.x1 - f.x0 >= BOX_MIN_WIDTH_PT
        and f.bottom - f.top >= BOX_MIN_HEIGHT_PT
        and (f.x1 - f.x0) * (f.bottom - f.top) < BOX_MAX_PAGE_FRACTION * width * height
    ]
    candidates.sort(key=lambda c: (c[1], c[0]))
    merged: list[list] = []
    for cand in candidates:
        for box in merged:
            same_sides = abs(box[0] - cand[0]) <= FRAME_SNAP_PT and abs(box[2] - cand[2]) <= FRAME_SNAP_PT
            touching = cand[1] <= box[3] + FRAME_SNAP_PT
            inside = (
                cand[0] >= box[0] - FRAME_SNAP_PT
                and cand[2] <= box[2] + FRAME_SNAP_PT
                and cand[1] >= box[1] - FRAME_SNAP_PT
                and cand[3] <= box[3] + FRAME_SNAP_PT
            )
            if inside or (same_sides and touching):
                box[3] = max(box[3], cand[3])
                break
        else:
            merged.append(cand)
    return [Box(x0, top, x1, bottom, shape) for x0, top, x1, bottom, shape in merged]


def read_page_lines(page: RawPage) -> PageLines:
    """Everything the document-level pass needs from one page."""
    glyph_count = sum(1 for g in page.glyphs if g.text.strip())
    cid = sum(1 for g in page.glyphs if g.text.startswith(CID_MARK))
    if glyph_count == 0:
        if page.sideways:
            status, reason = "rotated", f"all its text is rotated ({page.sideways} characters), and is not read"
        elif page.image_count:
            status, reason = "no_text", "no text layer (a scanned image?)"
        else:
            status, reason = "blank", ""
        return PageLines(page.number, page.width, page.height, [], [], status, reason, 0)
    if cid / glyph_count > CID_PAGE_RATIO:
        reason = f"{cid} of {glyph_count} characters are unmapped (cid:NN) glyphs"
        return PageLines(page.number, page.width, page.height, [], [], "cid", reason, glyph_count)
    glyphs = [g for g in page.glyphs if not g.text.startswith(CID_MARK)]
    lines = build_lines(glyphs)
    boxes = _boxes(page.frames, page.width, page.height)
    outside: list[Line] = []
    for line in lines:
        holder = next((b for b in boxes if b.contains(*line.center)), None)
        (holder.lines if holder else outside).append(line)
    boxes = [b for b in boxes if b.lines]
    status, reason = "ok", ""
    if page.sideways >= SIDEWAYS_REVIEW_MIN:
        status, reason = "partly_rotated", f"{page.sideways} characters of rotated text are not read"
    return PageLines(page.number, page.width, page.height, outside, boxes, status, reason, glyph_count)
