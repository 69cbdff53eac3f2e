"""From glyphs to text lines: Japanese-aware spacing, superscript footnote markers, ruby, boxes from frames.

This is the per-page half of the layout stage (it needs only one page, so it can run in a worker).
Glyphs are taken in content-stream order, which is the order the producer wrote them: sorting by
x breaks lines where CJK punctuation is squeezed (a ``「`` drawn left of the ``(`` before it).

A line ends where the next glyph leaves the line's band or steps back to the left. A wide gap
forward on the same band only *may* end it: the pieces are joined again unless the page's column
gutter or a drawn frame lies in the gap, so a justified line whose Latin words are spread
(「…協定（ACSA：Acquisition and」) stays one line, and columns written band by band do not. A page has
as many gutters as it has columns less one (``find_gutters``).

Ruby (small text set over base glyphs: an English name over an abbreviation, kana over kanji) is
found by geometry, wherever the producer wrote it in the stream, taken out of the line and kept
on it with the span of base text it annotates.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from .normalize import collapse_spaces, drop_foreign, foreign_count, is_japanese, normalize_text
from .pdfsource import CID_MARK, Frame, Glyph, RawPage

# A glyph further than this from the previous one (in ems of the line's size) is a candidate cut: the two
# pieces stay one line unless the gutter or a frame lies between them.
LINE_BREAK_GAP_EM = 1.4
# A glyph may start this far left of the previous one's start and still continue the line (squeezed CJK).
BACKSTEP_EM = 0.6
# Superscripts: at most this fraction of the line's size, and raised by at least this many ems.
SUPERSCRIPT_SIZE_RATIO = 0.8
SUPERSCRIPT_RAISE_EM = 0.15
# Ruby: at most this fraction of its base's size, its bottom within this many ruby ems of the base's top.
RUBY_SIZE_RATIO = 0.6
RUBY_GAP_EM = 0.8
# Between two Latin glyphs, a gap this much wider than the line's usual spacing is a word space.
WORD_GAP_EM = 0.22
# Any gap this much wider than the usual spacing separates words, even next to Japanese (dropped later
# between two Japanese characters: justification, not a space).
WIDE_GAP_EM = 1.0
# Two glyphs on either side of the gutter are cut apart when this many ems of white lie between them.
GUTTER_CUT_EM = 0.3
# Looking for the gutter of columns written band by band: parts of a line separated by this many ems.
INK_GAP_EM = 0.6
# Punctuation that Japanese typesetting hangs past the column edge (ぶら下げ): not part of the measure.
HANGING = frozenset("。、")
HANGING_LATIN = frozenset(",.")  # full-width ，． become ASCII; they hang when their glyph is full width
# The gutter is looked for between these fractions of the page (or box) width.
GUTTER_SEARCH = (0.3, 0.7)
# A page is two-column when at most this fraction of its lines cross the best gutter position.
GUTTER_MAX_CROSSING = 0.12
# The white between two columns is at most this wide (points; a gutter is 4–10 mm), and each column holds at
# least this many lines (a running head beside a column is none).
GUTTER_MAX_WHITE_PT = 40.0
COLUMN_MIN_LINES = 2
# A narrow sidebar's gutter may lie outside that band: white that no line crosses is looked for first between
# these fractions, with at least this many lines wholly on each side of it.
SIDEBAR_SEARCH = (0.15, 0.85)
SIDEBAR_MIN_LINES = 3
# A line is garbled (display type whose font maps glyphs to the wrong code points) when more than this
# fraction of its characters do not belong in a Japanese book.
GARBLED_RATIO = 0.5
# Frames smaller than this (points) are rules or decorations, not boxes.
BOX_MIN_WIDTH_PT = 40.0
BOX_MIN_HEIGHT_PT = 16.0
# Frames covering more than this fraction of the page are page backgrounds.
BOX_MAX_PAGE_FRACTION = 0.8
# Frames whose edges line up within this distance (points) are one box (a heading bar over a frame).
FRAME_SNAP_PT = 3.0
# A frame overlapping a box and at most this fraction of its area is part of it (a label tab on its edge).
TAB_MAX_AREA_RATIO = 0.25
# A page whose glyphs are mostly unmapped "(cid:NN)" has no usable text.
CID_PAGE_RATIO = 0.3
# Rotated (not upright) characters are not read. A page with at least this many of them besides its
# upright text is listed for review: a table or passage set sideways, not an axis label or two.
SIDEWAYS_REVIEW_MIN = 40

FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*＊†‡])$")
LIST_MARKS = frozenset("•・●◆■□○◇▶▸◎✓")
# A gap is not a word space before a closing bracket or after an opening one (a justified 「(呼称」 + 「)。」).
NO_SPACE_BEFORE = frozenset(")]}」』】〉》、。,.:;")
NO_SPACE_AFTER = frozenset("([{「『【〈《")


@dataclass
class Line:
    """One line of text: its box, dominant size and font, text, and what was taken out of it."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str
    text: str
    marks: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, marker)
    space_after: bool = False  # the line ends with a drawn space ("(FOIP) " + "というビジョン")
    ruby: list[tuple[int, int, str]] = field(default_factory=list)  # (offset, length of the base, ruby text)
    hang: float = 0.0  # width of a trailing 。、 that may hang past the column edge (x1 - hang is the measure)
    text_x0: float = 0.0  # where the text starts after a leading list marker (•, ▶…): lines below align on it
    garbled: bool = False  # mostly characters that do not belong in a Japanese book

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
    status: str  # "ok", "blank", "no_text", "cid", "rotated" (only rotated text), "partly_rotated", "garbled"
    reason: str = ""
    glyph_count: int = 0
    garbled: list[str] = field(default_factory=list)  # texts of the garbled lines, left out of the page


class _Run:
    """Glyphs, in stream order, that sit on one line, with the extent of its visible glyphs and the
    band of its full-size ones; ``sideways`` when a wide gap on the same band cut it from the run before."""

    __slots__ = ("glyphs", "x0", "top", "x1", "bottom", "size", "sideways")

    def __init__(self, glyphs, x0, top, x1, bottom, size, sideways):
        self.glyphs, self.x0, self.top, self.x1, self.bottom = glyphs, x0, top, x1, bottom
        self.size, self.sideways = size, sideways

    def extend(self, other: _Run) -> None:
        self.glyphs.extend(other.glyphs)
        self.x0, self.x1 = min(self.x0, other.x0), max(self.x1, other.x1)
        if other.size > SUPERSCRIPT_SIZE_RATIO * self.size:
            self.top, self.bottom = min(self.top, other.top), max(self.bottom, other.bottom)
            self.size = max(self.size, other.size)

    @property
    def measure_x1(self) -> float:
        """The right edge without a trailing hanging 。、 (the column's measure)."""
        last = next((g for g in reversed(self.glyphs) if g.text.strip()), None)
        return self.x1 - _hang(last) if last is not None and last.x1 >= self.x1 else self.x1


def dominant(values: list) -> object:
    """The most common value (ties: the larger), deterministic."""
    if values and values.count(values[0]) == len(values):  # the usual case, a line in one size and font
        return values[0]
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda v: (counts[v], v))


def _hang(glyph: Glyph) -> float:
    """How far past the column edge this glyph may hang: the width of a full-width 。、，．, else 0."""
    text = glyph.text
    if text in HANGING or (text in HANGING_LATIN and glyph.x1 - glyph.x0 >= 0.7 * glyph.size):
        return glyph.x1 - glyph.x0
    return 0.0


def _runs(glyphs: list[Glyph]) -> list[_Run]:
    """Split glyphs, in stream order, into runs that each sit on one line (or one piece of a line).

    The hottest loop of the layout stage (every glyph of the book): comparisons are written out
    rather than calling min/max, and the run's thresholds are computed when its size or band changes,
    not for every glyph. A small glyph overlapping the band is a superscript and stays; one whose
    centre is above the band's top is ruby (or a caption) and starts a run of its own."""
    runs: list[_Run] = []
    current: list[Glyph] = []
    size = top = bottom = last_x0 = last_x1 = left = right = 0.0
    band = small = backstep = reach = 0.0  # the run's height, and its size times the ratios above
    sideways = gap_cut = False
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
            g_band = g_bottom - g_top
            gap_cut = False
            if (
                overlap >= 0.5 * (band if band < g_band else g_band)  # on the run's band
                or (g_size <= small and overlap > 0 and g_top + g_bottom > top + top)  # a raised small glyph
            ) and x0 >= last_x0 - backstep:
                if x0 - last_x1 <= reach:
                    current.append(glyph)
                    if g_size > small:
                        if g_size > size:
                            size = g_size
                            small, backstep = SUPERSCRIPT_SIZE_RATIO * size, BACKSTEP_EM * size
                            reach = LINE_BREAK_GAP_EM * size
                        top = g_top if g_top < top else top
                        bottom = g_bottom if g_bottom > bottom else bottom
                        band = bottom - top
                    left = x0 if x0 < left else left
                    right = x1 if x1 > right else right
                    last_x0, last_x1 = x0, x1
                    continue
                gap_cut = True
            runs.append(_Run(current, left, top, right, bottom, size, sideways))
        current, sideways = [glyph], gap_cut
        size, top, bottom, last_x0, last_x1, left, right = g_size, g_top, g_bottom, x0, x1, x0, x1
        band, small, backstep = bottom - top, SUPERSCRIPT_SIZE_RATIO * size, BACKSTEP_EM * size
        reach = LINE_BREAK_GAP_EM * size
    if current:
        runs.append(_Run(current, left, top, right, bottom, size, sideways))
    return runs


# --- ruby ----------------------------------------------------------------------------------------


def _centres_under(run: _Run, x0: float, x1: float) -> bool:
    return any(x0 <= (g.x0 + g.x1) / 2 <= x1 for g in run.glyphs if g.text.strip())


def _base_of(ruby: _Run, runs: list[_Run], tops: list[float]) -> _Run | None:
    """The run whose glyphs the small ``ruby`` run sits on: large enough, its top right under the ruby's
    bottom, with glyphs under it (``runs`` sorted by top, ``tops`` their tops)."""
    reach = RUBY_GAP_EM * ruby.size
    lo, hi = bisect_left(tops, ruby.bottom - reach), bisect_right(tops, ruby.bottom + reach)
    for run in runs[lo:hi]:
        if (
            run is not ruby
            and RUBY_SIZE_RATIO * run.size >= ruby.size
            and run.x0 < ruby.x1
            and ruby.x0 < run.x1
            and _centres_under(run, ruby.x0, ruby.x1)
        ):
            return run
    return None


def _take_ruby(runs: list[_Run]) -> list[_Run]:
    """The runs that are ruby: small text sitting on larger glyphs (a caption line has none right under it)."""
    limit = RUBY_SIZE_RATIO * max(run.size for run in runs)
    small = [run for run in runs if run.size <= limit]
    if not small:
        return []
    ordered = sorted(runs, key=lambda run: run.top)
    tops = [run.top for run in ordered]
    return [run for run in small if _base_of(run, ordered, tops) is not None]


def _script(text: str) -> str:
    """The class of a glyph for ruby bases: Latin letters and digits, kana, kanji, or other (punctuation)."""
    char = text[:1]
    code = ord(char) if char else 0
    if char.isascii():
        return "latin" if char.isalnum() or char in "-&" else "other"
    if 0x3041 <= code <= 0x30FA or code == 0x30FC:
        return "kana"
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code >= 0x20000 or char in "々〆ヶ":
        return "kanji"
    return "other"


def _ruby_base(placed: list[tuple[int, Glyph]], ruby: _Run) -> tuple[int, int] | None:
    """(start, end) offsets of the base text under ``ruby``: the glyphs under it nearest its centre, of one
    script (an abbreviation's letters under its English name, not the brackets around it)."""
    under = [i for i, (_, g) in enumerate(placed) if ruby.x0 <= (g.x0 + g.x1) / 2 <= ruby.x1]
    if not under:
        return None
    centre = (ruby.x0 + ruby.x1) / 2
    kinds = {i: _script(placed[i][1].text) for i in under}
    words = [i for i in under if kinds[i] != "other"] or under
    middle = min(words, key=lambda i: abs((placed[i][1].x0 + placed[i][1].x1) / 2 - centre))
    first = last = middle
    while first - 1 in kinds and kinds[first - 1] == kinds[middle]:
        first -= 1
    while last + 1 in kinds and kinds[last + 1] == kinds[middle]:
        last += 1
    return placed[first][0], placed[last][0] + len(placed[last][1].text)


# --- columns and pieces ----------------------------------------------------------------------------


def _crossings(spans: list[tuple[float, float]], lo: int, hi: int) -> list[int]:
    """For each integer x in [lo, hi], how many spans have x0 < x < x1 (a difference array, not a scan)."""
    steps = [0] * (hi - lo + 2)
    for x0, x1 in spans:
        first, last = math.floor(x0) + 1, math.ceil(x1) - 1
        first, last = lo if first < lo else first, hi if last > hi else last
        if first <= last:
            steps[first - lo] += 1
            steps[last - lo + 1] -= 1
    return list(itertools.accumulate(steps[:-1]))


def find_gutter(spans: list[tuple[float, float]], crossings: list[int], lo: int, max_crossing: float) -> float | None:
    """The x of the gap between two columns, given the (x0, x1) of each line and how many of them cross each x
    from ``lo`` on (``_crossings``), or None on a one-column page.

    The position crossed by the fewest lines wins (at most ``max_crossing`` of them); among equally good
    positions, the middle of the widest empty run.
    """
    best = min(crossings)
    if best > max_crossing * len(spans):
        return None
    fewest = [i for i, count in enumerate(crossings) if count == best]
    runs = []  # (length, first, last) of each run of positions crossed by the fewest lines
    first = last = fewest[0]
    for i in fewest[1:]:
        if i > last + 1:
            runs.append((last - first + 1, first, last))
            first = i
        last = i
    runs.append((last - first + 1, first, last))
    length, first, last = max(runs)
    # both sides must hold text, or this is a one-column page with a ragged right edge; and the white between
    # them must be a gutter's, not the empty part of a page of short lines (a list) beside a far column
    x = lo + (first + last) / 2
    ends = [x1 for _, x1 in spans if x1 <= x]
    starts = [x0 for x0, _ in spans if x0 >= x]
    if min(len(ends), len(starts)) < COLUMN_MIN_LINES or min(starts) - max(ends) > GUTTER_MAX_WHITE_PT:
        return None
    return x


def _sides(spans: list[tuple[float, float]], x: float) -> tuple[int, int]:
    """How many lines lie wholly left of ``x``, and how many wholly right of it."""
    return sum(x1 <= x for _, x1 in spans), sum(x0 >= x for x0, _ in spans)


def find_gutters(spans: list[tuple[float, float]], left: float, right: float) -> list[float]:
    """The x of every gap between columns, left to right, given the (x0, x1) of each line: [] on a one-column
    page, one gutter on a two-column page, two on a three-column one.

    The gutter of the whole (white that no line crosses in the wide band, a sidebar's, else the position in the
    middle band crossed by the fewest lines), then the gutters of the lines on either side of it, found the same
    way within that side: three columns are two columns, one of which is two columns again. The crossings are
    counted once, over both bands.
    """
    if len(spans) < 4:
        return []
    width = right - left
    wide = int(left + width * SIDEBAR_SEARCH[0]), int(left + width * SIDEBAR_SEARCH[1])
    middle = int(left + width * GUTTER_SEARCH[0]), int(left + width * GUTTER_SEARCH[1])
    lo, hi = min(wide[0], middle[0]), max(wide[1], middle[1])
    crossings = _crossings(spans, lo, hi)
    gutter = find_gutter(spans, crossings[wide[0] - lo : wide[1] - lo + 1], wide[0], 0.0)
    if gutter is None or min(_sides(spans, gutter)) < SIDEBAR_MIN_LINES:
        gutter = find_gutter(spans, crossings[middle[0] - lo : middle[1] - lo + 1], middle[0], GUTTER_MAX_CROSSING)
    if gutter is None:
        return []
    before = [span for span in spans if span[1] <= gutter]
    after = [span for span in spans if span[0] >= gutter]
    return find_gutters(before, left, gutter) + [gutter] + find_gutters(after, gutter, right)


def column_of(x0: float, x1: float, gutters: list[float]) -> int:
    """1 for the leftmost column, 2 for the next…, or 0 for what crosses a gutter (spans columns)."""
    for index, gutter in enumerate(gutters):
        if x1 <= gutter + 1:
            return index + 1
        if x0 < gutter - 1:
            return 0
    return len(gutters) + 1


def measure_spans(lines: list[Line]) -> list[tuple[float, float]]:
    """(x0, x1) of each line without a hanging 。、 past its column's edge, for ``find_gutters``."""
    return [(line.x0, line.x1 - line.hang) for line in lines]


def _cut_at_gutters(run: _Run, gutters: list[float]) -> list[_Run]:
    """A run that crosses a gutter with white around it is two lines (columns written band by band; a hanging
    。 on the left counts as inside its column)."""
    out: list[_Run] = []
    glyphs, start, previous = run.glyphs, 0, None
    white = _tracking(glyphs, run.size) + GUTTER_CUT_EM * run.size
    for i, glyph in enumerate(glyphs):
        if not glyph.text.strip():
            continue
        if previous is not None:
            ink = previous.x1 - _hang(previous)
            if any(ink <= gutter <= glyph.x0 for gutter in gutters) and glyph.x0 - ink >= white:
                out.append(_run_of(glyphs[start:i], run.sideways if not out else False))
                start = i
        previous = glyph
    if not out:
        return [run]
    return out + [_run_of(glyphs[start:], False)]


def _tracking(glyphs: list[Glyph], size: float) -> float:
    """The usual white between two glyphs of a line (letter-spacing), in points."""
    visible = [g for g in glyphs if g.text.strip()]
    return _usual_gap([g.x0 for g in visible], [g.x1 for g in visible], size)


def _usual_gap(x0s: Sequence[float], x1s: Sequence[float], size: float) -> float:
    """``_tracking`` from the left and right edges of the visible glyphs, in order."""
    slack = 0.1 * size
    gaps = [x0 - x1 for x1, x0 in zip(x1s, x0s[1:], strict=False) if x0 >= x1 - slack]
    return max(0.0, _median(gaps)) if gaps else 0.0


def _median(values: Sequence[float]) -> float:
    """``statistics.median``, without its overhead (it runs for every line)."""
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _ink_spans(run: _Run) -> list[tuple[float, float]]:
    """(x0, x1) of the parts of a run separated by more white than a word space (INK_GAP_EM beyond its
    letter-spacing); a part ending in a hanging 。、 ends where the glyph starts."""
    spans: list[tuple[float, float]] = []
    first = last = None
    wide = _tracking(run.glyphs, run.size) + INK_GAP_EM * run.size
    for glyph in run.glyphs:
        if not glyph.text.strip():
            continue
        if first is None:
            first = glyph
        elif glyph.x0 - last.x1 >= wide:
            spans.append((first.x0, last.x1 - _hang(last)))
            first = glyph
        last = glyph
    if first is not None:
        spans.append((first.x0, last.x1 - _hang(last)))
    return spans


def _run_of(glyphs: list[Glyph], sideways: bool) -> _Run:
    visible = [g for g in glyphs if g.text.strip()]
    size = max(g.size for g in visible)
    normal = [g for g in visible if g.size > SUPERSCRIPT_SIZE_RATIO * size]
    return _Run(
        glyphs,
        min(g.x0 for g in visible),
        min(g.top for g in normal),
        max(g.x1 for g in visible),
        max(g.bottom for g in normal),
        size,
        sideways,
    )


def _frame_between(left: _Run, right: _Run, frames: list[Frame]) -> bool:
    """Whether a drawn frame's side stands in the gap between two pieces of a band."""
    a, b = left.x1, right.x0
    top, bottom = max(left.top, right.top), min(left.bottom, right.bottom)
    return any((a <= f.x0 <= b or a <= f.x1 <= b) and f.top < bottom and top < f.bottom for f in frames)


def _join_pieces(runs: list[_Run], gutters: list[float], frames: list[Frame]) -> list[_Run]:
    """Join each piece cut at a wide gap to the one before it, unless a gutter or a frame is in the gap."""
    out: list[_Run] = []
    for run in runs:
        if run.sideways and out:
            previous = out[-1]
            across = any(previous.measure_x1 <= gutter <= run.x0 for gutter in gutters)
            if not across and not _frame_between(previous, run, frames):
                previous.extend(run)
                continue
        out.append(run)
    return out


# --- lines -------------------------------------------------------------------------------------


def _under_ruby(x0: float, x1: float, spans: list[tuple[float, float]]) -> bool:
    return any(a < x1 and x0 < b for a, b in spans)


def _line_from_run(run: list[Glyph], rubies: list[_Run] = ()) -> Line | None:
    """Assemble a line's text: footnote superscripts out, spaces only where a reader would put one, the
    base text of each ruby located (a base spread under a long ruby is not a word gap).

    Runs for every line of the book: the glyphs' fields are read as columns, and the usual line (no ruby, no
    superscript, no drawn space, no gap as wide as a word space) is its glyphs' text as drawn, without the
    glyph-by-glyph pass that the others need."""
    visible = [g for g in run if g.text.strip()]
    if not visible:
        return None
    texts, x0s, tops, x1s, bottoms, sizes, fonts = zip(*visible, strict=True)  # the glyphs' fields as columns
    size = float(dominant(sizes))
    x0, x1 = min(x0s), max(x1s)
    small = SUPERSCRIPT_SIZE_RATIO * size
    superscripts = min(sizes) <= small
    plain = not rubies and not superscripts and len(visible) == len(run)  # and no drawn space
    if superscripts:  # they do not count for the line's band, baseline, face and spacing
        _, x0s, tops, x1s, bottoms, _, fonts = zip(*[g for g in visible if g.size > small], strict=True)
    baseline = _median(bottoms)
    font = str(dominant(fonts))
    tracking = _usual_gap(x0s, x1s, size)
    word_gap = tracking + WORD_GAP_EM * size
    if plain and max(map(operator.sub, x0s[1:], x1s), default=0.0) <= word_gap:  # nor a word's gap: text as drawn
        offsets = itertools.accumulate(map(len, texts), initial=0)
        raw, marks, placed, space_after = "".join(texts), [], list(zip(offsets, visible, strict=False)), False
    else:
        raw, marks, placed, space_after = _spaced_text(run, rubies, size, baseline, tracking)
    ruby = []
    for item in rubies:
        base = _ruby_base(placed, item)
        ruby_line = _line_from_run(item.glyphs)
        if base is not None and ruby_line is not None:
            ruby.append((base[0], base[1], ruby_line.text))
    cleaned, marks, ruby = _clean(raw, marks, ruby, collapse_spaces)
    foreign = foreign_count(cleaned)
    garbled = foreign > GARBLED_RATIO * (len(cleaned) - cleaned.count(" ")) if foreign else False
    if foreign and not garbled:  # a stray code point of a broken map in a good line
        cleaned, marks, ruby = _clean(cleaned, marks, ruby, lambda t: collapse_spaces(drop_foreign(t)))
    last = visible[-1]
    text_x0 = placed[1][1].x0 if len(placed) > 1 and placed[0][1].text in LIST_MARKS else x0
    return Line(
        x0=x0,
        top=min(tops),
        x1=x1,
        bottom=max(bottoms),
        size=size,
        font=font,
        text=cleaned,
        marks=marks,
        space_after=space_after,
        ruby=[(start, end - start, text) for start, end, text in ruby if end > start],
        hang=_hang(last) if last.x1 >= x1 else 0.0,
        garbled=garbled,
        text_x0=text_x0,
    )


def _spaced_text(
    run: list[Glyph], rubies: list[_Run], size: float, baseline: float, tracking: float
) -> tuple[str, list[tuple[int, str]], list[tuple[int, Glyph]], bool]:
    """A line's text glyph by glyph: superscript footnote markers taken out (with their offsets), a space where
    the producer drew one or left a word's gap, none under a ruby; the glyphs placed, with their offsets; whether
    the line ends with a drawn space."""
    spans = [(ruby.x0, ruby.x1) for ruby in rubies]
    text: list[str] = []
    length = 0
    placed: list[tuple[int, Glyph]] = []
    marks: list[tuple[int, str]] = []
    pending_mark = ""
    started = explicit_space = False
    previous_x1, previous_text = 0.0, ""  # the right edge and text of the glyph before
    numbered = True  # only digits so far: a heading's or list item's number, set apart by a gap from its text
    small, raised_below = SUPERSCRIPT_SIZE_RATIO * size, baseline - SUPERSCRIPT_RAISE_EM * size
    word_gap, wide_gap = tracking + WORD_GAP_EM * size, tracking + WIDE_GAP_EM * size
    for glyph in run:
        char, left, _, right, bottom, glyph_size, _ = glyph
        if not char.strip():
            explicit_space = started
            continue
        if glyph_size <= small and bottom < raised_below:  # raised: a footnote marker?
            candidate = (pending_mark + char).strip()
            if candidate and FOOTNOTE_MARK.match(candidate):
                pending_mark += char
                continue
        if pending_mark:
            marks.append((length, pending_mark))
            pending_mark = ""
        if started:
            gap = left - previous_x1
            if explicit_space or (
                (
                    gap > wide_gap
                    or (gap > word_gap and (numbered or not (is_japanese(previous_text[-1]) or is_japanese(char[0]))))
                )
                and not (spans and _under_ruby(previous_x1, left, spans))
                and char[0] not in NO_SPACE_BEFORE
                and previous_text[-1] not in NO_SPACE_AFTER
            ):
                text.append(" ")
                length += 1
        placed.append((length, glyph))
        numbered = numbered and char.isdigit()
        text.append(char)
        length += len(char)
        started, explicit_space = True, False
        previous_x1, previous_text = right, char
    if pending_mark:
        marks.append((length, pending_mark))
    return "".join(text), marks, placed, explicit_space


def _clean(raw: str, marks: list, ruby: list, clean) -> tuple[str, list, list]:
    """``clean(raw)`` (which only deletes characters, or turns white space into spaces), with marker
    offsets and ruby (start, end) offsets kept true."""
    cleaned = clean(raw)
    if cleaned == raw:
        return raw, marks, ruby
    where, j = [], 0  # where[i]: the position of raw[i] in cleaned, or of the next kept character
    for char in raw:
        where.append(j)
        if j < len(cleaned) and (cleaned[j] == char or (cleaned[j] == " " and char.isspace())):
            j += 1
    where.append(j)
    marks = [(where[offset], mark) for offset, mark in marks]
    ruby = [(where[start], where[end], text) for start, end, text in ruby]
    return cleaned, marks, ruby


class _GlyphTexts(dict):
    """A glyph's text → its normalised text ("" for an unmapped "(cid:NN)" glyph): each distinct text is decided
    once, on first sight (a book draws a few thousand), then looked up in the C dictionary."""

    def __missing__(self, text: str) -> str:
        value = self[text] = "" if text.startswith(CID_MARK) else normalize_text(text)
        return value


_GLYPH_TEXTS = _GlyphTexts()


def _text_glyphs(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs with their text normalised; unmapped "(cid:NN)" glyphs and characters that are not text dropped."""
    out = []
    for glyph in glyphs:
        text = glyph.text
        norm = _GLYPH_TEXTS[text]
        if norm == text:
            out.append(glyph)
        elif norm:
            out.append(glyph._replace(text=norm))
    return out


def _page_lines(glyphs: list[Glyph], width: float, frames: list[Frame]) -> list[Line]:
    """The lines of a page in stream order, ruby attached to the lines it sits on."""
    runs = _runs(glyphs)
    if not runs:
        return []
    rubies = _take_ruby(runs)
    if rubies:  # read the page again without them: a base the ruby was written inside is one run again
        taken = {id(glyph) for ruby in rubies for glyph in ruby.glyphs}
        runs = _runs([g for g in glyphs if id(g) not in taken])
    gutters = find_gutters([(run.x0, run.measure_x1) for run in runs], 0.0, width)
    if not gutters:  # columns written band by band, closer than a line break: look between the glyphs
        gutters = find_gutters([span for run in runs for span in _ink_spans(run)], 0.0, width)
    runs = _join_pieces(runs, gutters, frames)
    if gutters:
        runs = [
            piece
            for run in runs
            for piece in (_cut_at_gutters(run, gutters) if any(run.x0 < g < run.x1 for g in gutters) else [run])
        ]
    on: dict[int, list[_Run]] = {}
    if rubies:
        ordered = sorted(runs, key=lambda run: run.top)
        tops = [run.top for run in ordered]
        for ruby in rubies:
            base = _base_of(ruby, ordered, tops)
            if base is None:  # its base went to another piece: keep its text as a line of its own
                runs.append(ruby)
            else:
                on.setdefault(id(base), []).append(ruby)
    lines = [line for run in runs if (line := _line_from_run(run.glyphs, on.get(id(run), ()))) is not None]
    return [line for line in lines if line.text]


def _boxes(frames: list[Frame], width: float, height: float) -> list[Box]:
    """Outermost frames big enough to hold text; frames that abut with the same sides become one box, and
    a small frame overlapping a box (a label tab straddling its edge) is part of it."""
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
    return [Box(x0, top, x1, bottom, shape) for x0, top, x1, bottom, shape in _absorb_tabs(merged)]


def _absorb_tabs(boxes: list[list]) -> list[list]:
    """Merge into a box each much smaller box that overlaps it (a tab on its frame): the union of both."""

    def area(b):
        return (b[2] - b[0]) * (b[3] - b[1])

    out: list[list] = []
    for box in sorted(boxes, key=area, reverse=True):
        host = next(
            (
                big
                for big in out
                if area(box) <= TAB_MAX_AREA_RATIO * area(big)
                and box[0] < big[2]
                and big[0] < box[2]
                and box[1] < big[3]
                and big[1] < box[3]
            ),
            None,
        )
        if host is None:
            out.append(list(box))
        else:
            host[:4] = [min(host[0], box[0]), min(host[1], box[1]), max(host[2], box[2]), max(host[3], box[3])]
    out.sort(key=lambda b: (b[1], b[0]))
    return out


def _on_edge(line: Line, box: Box) -> bool:
    """Whether the line straddles the box's top or bottom side within its width (a label on the frame)."""
    return (
        box.x0 - FRAME_SNAP_PT <= line.x0
        and line.x1 <= box.x1 + FRAME_SNAP_PT
        and any(line.top < edge < line.bottom for edge in (box.top, box.bottom))
    )


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
    lines = _page_lines(_text_glyphs(page.glyphs), page.width, page.frames)
    garbled = [line.text for line in lines if line.garbled]
    boxes = _boxes(page.frames, page.width, page.height)
    outside: list[Line] = []
    for line in lines:
        if line.garbled:
            continue
        holder = next((b for b in boxes if b.contains(*line.center)), None) or next(
            (b for b in boxes if _on_edge(line, b)), None
        )
        (holder.lines if holder else outside).append(line)
    boxes = [b for b in boxes if b.lines]
    status, reason = "ok", ""
    if page.sideways >= SIDEWAYS_REVIEW_MIN:
        status, reason = "partly_rotated", f"{page.sideways} characters of rotated text are not read"
    elif garbled:
        status = "garbled"
        reason = (
            f"{len(garbled)} garbled line(s) (a font whose characters map to the wrong code points) left out: "
            + " / ".join(garbled)
        )
    return PageLines(page.number, page.width, page.height, outside, boxes, status, reason, glyph_count, garbled)
