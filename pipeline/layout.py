"""The layout stage: PDF pages → ordered, typed text blocks with provenance (``blocks.jsonl``).

Two passes. The first reads each page on its own (``lines.read_page_lines``: glyphs → lines, frames →
boxes). The second looks at the whole document, because what a line *is* depends on the book: the
body font size and face are the most common ones, running headers and footers sit in the page margins
and repeat, headings are larger than body text or set in another face. It then finds the column gutters
of each page (one, two, three columns or a sidebar), orders the page the way a person reads it (bands of
full-width material; between them each column top to bottom, from the left), groups lines into
paragraphs, and joins paragraphs that a column or page break cut in two.
"""

from __future__ import annotations

import json
import re
import signal
import statistics
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from . import box_labels
from .blocks import Block, Mark, PageReport, Part, Ruby
from .cache import Decision, decide, read_record, stage_key
from .dates import EDITION_TITLE
from .editions import Edition
from .errors import HakushoError
from .files import write_jsonl, write_text
from .lines import (
    LIST_MARKS,
    Box,
    Line,
    PageLines,
    column_of,
    dominant,
    find_gutters,
    measure_spans,
    read_page_lines,
)
from .normalize import is_japanese, join_pieces
from .pdfsource import DEFAULT_ENGINE, Document
from .punctuation import CLOSERS, SENTENCE_END
from .workers import process_pool

# Header/footer zones: a line ending above this fraction of the page height, or starting below
# 1 - this fraction, is in the margin.
HEADER_ZONE = 0.07
FOOTER_ZONE = 0.06
# Two heading lines closer than this (ems of white space between them) are one wrapped heading.
HEADING_WRAP_EM = 0.6
# A box's title goes on over the lines of its size and face below it, less than this (ems of white) apart.
TITLE_WRAP_EM = 1.0
# A line at least this much larger than body text is a heading.
HEADING_SIZE_RATIO = 1.08
# A paragraph of at most this many lines, all in another face than the body text (Gothic over Mincho) and at least
# body size, that ends no sentence, is a heading too: the lowest level of heading is often body-sized and bold.
FACE_HEADING_MAX_LINES = 3
# A line this much smaller than body text is a caption or a footnote.
SMALL_SIZE_RATIO = 0.93
# Footnotes sit in the lower part of the page.
FOOTNOTE_ZONE = 0.6
# First-line indent (ems) that starts a paragraph; line spacing (times the usual) that starts one.
INDENT_EM = 0.5
PARAGRAPH_GAP_RATIO = 1.5
# A line whose left edge is within this distance (points) of the line above continues its paragraph
# even when indented (hanging indents of list items).
ALIGN_PT = 1.0
# A paragraph starting less than this many ems below another's last line, in the same column, is on the
# next line: the paragraph rules split them, it is not a continuation cut by a break.
NEXT_LINE_EM = 1.7
# A line ending this many ems short of its column's right edge may end a paragraph.
SHORT_LINE_EM = 0.5

BULLET = re.compile("^[" + re.escape("".join(sorted(LIST_MARKS))) + r"\-–]\s?")
# A list item's number: a line starting with one after a short line, or after a sentence's end, starts a paragraph
# (「1. 防衛大臣政務官 → 政務官」).
LIST_NUMBER = re.compile(r"^(?:\d{1,3}\.\s|[(（]\d{1,3}[)）]|[①-⑳])")
FOOTNOTE_START = re.compile(r"^(?:\d{1,3}|注\s?\d{0,3}|※\d{0,3})\s")
PRINTED_PAGE = re.compile(r"(?:^|\s)(\d{1,4})$|^(\d{1,4})(?:\s|$)")


@dataclass
class Para:
    """A paragraph or a box under construction, before it is written as a block."""

    page: int
    kind: str
    column: int
    lines: list[Line]
    label: str = ""
    title: str = ""
    text: str = ""
    marks: list[Mark] = field(default_factory=list)
    ruby: list[Ruby] = field(default_factory=list)  # over ``text``
    title_ruby: list[Ruby] = field(default_factory=list)  # the same over ``title``
    level: int = 0
    indented: bool = False
    parts: list[Part] = field(default_factory=list)
    frame: list[float] | None = None  # a box's drawn frame, which is its bbox

    @property
    def bbox(self) -> list[float]:
        if self.frame:
            return self.frame
        return [
            round(min(line.x0 for line in self.lines), 1),
            round(min(line.top for line in self.lines), 1),
            round(max(line.x1 for line in self.lines), 1),
            round(max(line.bottom for line in self.lines), 1),
        ]

    @property
    def top(self) -> float:
        return min(line.top for line in self.lines)


@dataclass
class DocStats:
    """What the document-level pass learns about the book before it classifies lines."""

    body_size: float
    heading_sizes: list[float]
    body_face: str
    margin_texts: set[str]
    gutters: list[float] = field(default_factory=list)  # the book's usual gutters, for pages too sparse to show theirs


def _mask_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def doc_stats(pages: list[PageLines]) -> DocStats:
    """Body size (by characters), heading sizes (largest first) and the margin texts that repeat."""
    sizes: Counter = Counter()
    faces: Counter = Counter()
    margin: Counter = Counter()
    for page in pages:
        for line in page.lines:
            size = round(line.size, 1)
            sizes[size] += len(line.text)
            faces[(size, _face(line.font))] += len(line.text)
            if _in_margin(line, page.height):
                margin[_mask_digits(line.text)] += 1
    body = max(sizes, key=lambda s: (sizes[s], -s)) if sizes else 9.0
    on_bars = {round(line.size, 1) for page in pages for box in page.boxes if _may_be_bar(box) for line in box.lines}
    headings = sorted({s for s in sizes.keys() | on_bars if s >= body * HEADING_SIZE_RATIO}, reverse=True)
    face = max((f for s, f in faces if s == body), key=lambda f: (faces[(body, f)], f), default="")
    repeated = {text for text, count in margin.items() if count >= 2}
    return DocStats(body, headings, face, repeated, _usual_gutters(pages))


def _usual_gutters(pages: list[PageLines]) -> list[float]:
    """The gutters most pages have: of the pages with the most common number of columns (more than one), the
    median position of each gutter."""
    found = [gutters for page in pages if (gutters := find_gutters(measure_spans(page.lines), 0.0, page.width))]
    if not found:
        return []
    counts = Counter(len(gutters) for gutters in found)
    usual = max(counts, key=lambda n: (counts[n], -n))
    return [statistics.median(gutters[i] for gutters in found if len(gutters) == usual) for i in range(usual)]


def _in_margin(line: Line, height: float) -> str:
    if line.bottom <= HEADER_ZONE * height:
        return "header"
    if line.top >= (1 - FOOTER_ZONE) * height:
        return "footer"
    return ""


def _classify(line: Line, page: PageLines, stats: DocStats) -> str:
    zone = _in_margin(line, page.height)
    if zone and (line.size <= stats.body_size * 1.05 or _mask_digits(line.text) in stats.margin_texts):
        return zone
    if line.size >= stats.body_size * HEADING_SIZE_RATIO:
        return "heading"
    if line.size <= stats.body_size * SMALL_SIZE_RATIO:
        return "small"
    return "body"


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if not text:
        return True
    if text[-1] in SENTENCE_END:
        return True
    return text[-1] in CLOSERS and len(text) > 1 and text[-2] in SENTENCE_END


def _shifted(items: list[dict], base: int) -> list[dict]:
    """Markers or ruby of a piece of text, re-based onto a text in which the piece starts at ``base``."""
    return [{**item, "offset": base + item["offset"]} for item in items]


def _join_lines(lines: list[Line]) -> tuple[str, list[dict], list[dict]]:
    """Text of consecutive lines joined without artefact spaces; markers and ruby re-based onto it."""
    text = ""
    marks: list[dict] = []
    ruby: list[dict] = []
    previous: Line | None = None
    for line in lines:
        joined = join_pieces(text, line.text)
        if previous and previous.space_after and not (is_japanese(text[-1:]) and is_japanese(line.text[:1])):
            joined = text + " " + line.text
        previous = line
        if line.marks or line.ruby:
            base = len(joined) - len(line.text.lstrip())
            marks.extend({"offset": base + offset, "mark": mark} for offset, mark in line.marks)
            ruby.extend({"offset": base + offset, "length": length, "text": t} for offset, length, t in line.ruby)
        text = joined
    return text, marks, ruby


def _face(font: str) -> str:
    """A font's name without its subset tag: "AAAAAB+IPAexMincho" → "IPAexMincho" (one face, several subsets)."""
    return font.partition("+")[2] or font


def _paragraphs(
    lines: list[Line], kinds: list[str], left: float, right: float, headings: bool = False, body_face: str = ""
) -> list[tuple[str, list[Line]]]:
    """Group the lines of one column (top to bottom) into paragraphs of one kind.

    ``headings`` (inside boxes): a short line set in another font than its neighbour is a paragraph of its
    own (a sub-term heading in bold over its definition). ``body_face`` (page columns): a short line set in
    another face than the body text that ends no sentence is a paragraph of its own (a heading in Gothic)."""
    if not lines:
        return []
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if 0 < b.top - a.top]
    pitch = statistics.median(pitches) if pitches else lines[0].size * 1.7
    groups: list[tuple[str, list[Line]]] = []
    for line, kind in zip(lines, kinds, strict=True):
        if groups:
            prev_kind, group = groups[-1]
            prev = group[-1]
            if kind == "heading":
                same = prev_kind == "heading" and line.top - prev.bottom < HEADING_WRAP_EM * prev.size
            else:
                prev_short = prev.x1 < right - SHORT_LINE_EM * prev.size
                indented = line.x0 - left > INDENT_EM * line.size
                same = (
                    kind == prev_kind
                    and abs(line.size - prev.size) <= 0.6
                    and line.top - prev.top <= pitch * PARAGRAPH_GAP_RATIO
                    and (not indented or abs(line.x0 - prev.x0) <= ALIGN_PT or abs(line.x0 - prev.text_x0) <= ALIGN_PT)
                    and not (group[0].text_x0 - group[0].x0 > ALIGN_PT and abs(line.x0 - group[0].x0) <= ALIGN_PT)
                    and not BULLET.match(line.text)
                    and not (kind == "small" and FOOTNOTE_START.match(line.text))
                    and not (prev_short and (_ends_sentence(prev.text) or indented))
                    and not (LIST_NUMBER.match(line.text) and (prev_short or _ends_sentence(prev.text)))
                    and not (indented and _whole(group, left))
                    and not (line.font != prev.font and _face_break(line, prev, right, prev_short, headings, body_face))
                )
            if same:
                group.append(line)
                continue
        groups.append((kind, [line]))
    return groups


def _whole(group: list[Line], left: float) -> bool:
    """Whether a paragraph is one full line, indented and ending a sentence: an indented line under it starts the
    next paragraph (it is no hanging indent of the first)."""
    first = group[0]
    return len(group) == 1 and first.x0 - left > INDENT_EM * first.size and _ends_sentence(first.text)


def _face_break(line: Line, prev: Line, right: float, prev_short: bool, headings: bool, body_face: str) -> bool:
    """Whether a change of face between two lines starts a paragraph: inside a box, at a short line (a sub-term
    heading in bold over its definition); in a column, at a short line in another face than the body text that
    ends no sentence (a heading in Gothic)."""
    short = line.x1 < right - SHORT_LINE_EM * line.size
    return _face(line.font) != _face(prev.font) and (
        (headings and (prev_short or short))
        or (prev_short and _face_heading_line(prev, body_face))
        or (short and _face_heading_line(line, body_face))
    )


def _face_heading_line(line: Line, body_face: str) -> bool:
    """A line that may be (part of) a heading set in another face than the body text: it ends no sentence."""
    return bool(body_face) and _face(line.font) != body_face and not _ends_sentence(line.text)


def _is_face_heading(lines: list[Line], stats: DocStats) -> bool:
    """A body paragraph that is a heading: a few lines, all in another face than the body text and at least body
    size, ending no sentence."""
    return (
        len(lines) <= FACE_HEADING_MAX_LINES
        and all(_face(line.font) != stats.body_face and line.size >= stats.body_size - 0.3 for line in lines)
        and _face_heading_line(lines[-1], stats.body_face)
    )


def _para(page: PageLines, kind: str, column: int, lines: list[Line], left: float, stats: DocStats) -> Para:
    text, marks, ruby = _join_lines(lines)
    if kind == "body" and _is_face_heading(lines, stats):
        kind = "heading"
    para = Para(page.number, kind, column, lines, text=text, marks=marks, ruby=ruby)
    para.indented = lines[0].x0 - left > INDENT_EM * lines[0].size or bool(
        BULLET.match(lines[0].text) or LIST_NUMBER.match(lines[0].text)
    )
    if kind == "heading":  # 1 for the largest size; a body-sized heading comes below every larger one
        para.level = 1 + sum(size > lines[0].size + 0.3 for size in stats.heading_sizes)
    if kind == "small":
        lower = lines[0].top >= FOOTNOTE_ZONE * page.height
        para.kind = "footnote" if lower and FOOTNOTE_START.match(text) else "caption"
    return para


def _right_edge(lines: list[Line]) -> float:
    """Where the column's lines end (its measure): the furthest end of a line, a hanging 。、 left out; a line
    ending with a closing bracket does not count (Japanese justification sets a line-final 」 half width,
    its glyph box standing half an em past the measure)."""
    ends = [line.x1 - line.hang for line in lines if not line.text.endswith(tuple(CLOSERS))]
    return max(ends or [line.x1 - line.hang for line in lines])


def _column_paras(page: PageLines, lines: list[tuple[Line, str]], column: int, stats: DocStats) -> list[Para]:
    """Paragraphs of one column from its (line, kind) pairs."""
    lines = sorted(lines, key=lambda pair: (pair[0].top, pair[0].x0))
    if not lines:
        return []
    left = min(line.x0 for line, _ in lines)
    right = _right_edge([line for line, _ in lines])
    kinds = [kind for _, kind in lines]
    groups = _paragraphs([line for line, _ in lines], kinds, left, right, body_face=stats.body_face)
    return [_para(page, kind, column, group, left, stats) for kind, group in groups]


def _label_line(lines: list[Line]) -> tuple[str, Line | None]:
    """The box's label when a line holds it alone at the top or the bottom of the box (printed before the
    text, after it, or on a tab of the frame), whatever its place in the content stream."""
    for line in (min(lines, key=lambda line: line.top), max(lines, key=lambda line: line.bottom)):
        match = box_labels.pattern().match(line.text)
        if match and not line.text[match.end() :].strip():
            return match.group("label"), line
    return "", None


def _box_title(body: list[Line], box: Box) -> int:
    """How many of the first lines are the box's title: a first line in another size than the text (and
    the lines of the same size and font right below it), or a short first line that ends no sentence."""
    sizes = [line.size for line in body]
    body_size = float(dominant(sizes))
    first = body[0]
    short = not _ends_sentence(first.text) and first.x1 < box.x1 - 3 * first.size
    if first.size == body_size and len(body) > 1 and not short:
        return 0
    return _title_lines(body) if first.size != body_size else 1


def _title_lines(lines: list[Line]) -> int:
    """How many lines the title starting on the first line takes: it goes on over the lines of its size and face
    right below it (a title wrapped in a narrow box)."""
    first, count = lines[0], 1
    while (
        count < len(lines)
        and (lines[count].size, _face(lines[count].font)) == (first.size, _face(first.font))
        and lines[count].top - lines[count - 1].bottom < TITLE_WRAP_EM * first.size
    ):
        count += 1
    return count


def _box_para(page: PageLines, box: Box, column: int, stats: DocStats) -> Para:
    """A box becomes one block: label as printed, title, and its paragraphs separated by newlines."""
    gutters = find_gutters(measure_spans(box.lines), box.x0, box.x1) if len(box.lines) > 6 else []
    ordered = sorted(box.lines, key=lambda line: (column_of(line.x0, line.x1 - line.hang, gutters), line.top, line.x0))
    title, title_ruby = "", []
    label, label_line = _label_line(ordered)
    body = [line for line in ordered if line is not label_line]
    if not label and body and (match := box_labels.pattern().match(body[0].text)):  # label and title on one line
        label, count = match.group("label"), _title_lines(body)
        text, _, ruby = _join_lines(body[:count])
        body = body[count:]
        title = text[match.end() :].strip()
        skipped = len(text) - len(title)
        title_ruby = _shifted([r for r in ruby if r["offset"] >= skipped], -skipped)
    if label and not title and body:
        count = _box_title(body, box)
        title, _, title_ruby = _join_lines(body[:count])
        body = body[count:]
    left = min((line.x0 for line in body), default=box.x0)
    right = _right_edge(body) if body else box.x1
    kinds = ["body"] * len(body)
    paragraphs = _paragraphs(body, kinds, left, right, headings=True) if body else []
    texts, marks, ruby = [], [], []
    for _, group in paragraphs:
        text, group_marks, group_ruby = _join_lines(group)
        offset = sum(len(t) + 1 for t in texts)
        marks.extend(_shifted(group_marks, offset))
        ruby.extend(_shifted(group_ruby, offset))
        texts.append(text)
    frame = [round(box.x0, 1), round(box.top, 1), round(box.x1, 1), round(box.bottom, 1)]
    return Para(
        page.number,
        "box",
        column,
        ordered,
        label,
        title,
        "\n".join(texts),
        marks,
        ruby,
        title_ruby,
        frame=frame,
    )


def _may_be_bar(box: Box) -> bool:
    """A frame that may be behind a heading: a few lines and no label."""
    return len(box.lines) <= FACE_HEADING_MAX_LINES and not _label_line(box.lines)[0]


def _is_bar(box: Box, stats: DocStats) -> bool:
    """A frame behind a heading (a shaded band or a rule around it), not a box: no label, and a few lines that
    are all larger than the body text, or all a heading in another face."""
    lines = sorted(box.lines, key=lambda line: line.top)
    return _may_be_bar(box) and (
        all(line.size >= stats.body_size * HEADING_SIZE_RATIO for line in lines) or _is_face_heading(lines, stats)
    )


def _wraps(above: Line, line: Line) -> bool:
    """Whether ``line`` is the next line of the heading line ``above``: its size, less than HEADING_WRAP_EM below."""
    return abs(line.size - above.size) <= 0.6 and 0 <= line.top - above.bottom < HEADING_WRAP_EM * above.size


def _running(line: Line, page: PageLines, stats: DocStats) -> bool:
    """Whether a line is the running head or foot: in the page's margin, and printed there on other pages too."""
    return bool(_in_margin(line, page.height)) and _mask_digits(line.text) in stats.margin_texts


def _page_boxes(page: PageLines, stats: DocStats) -> tuple[list[Box], list[Line]]:
    """The page's boxes, and the lines that frames caught but that are no box's: a heading's (the frame is a
    bar behind it) and the running head's or foot's (a frame reaching into the margin, a framed page number)."""
    boxes, freed = [], []
    for box in page.boxes:
        if _is_bar(box, stats):
            freed.extend(box.lines)
            continue
        margin = [line for line in box.lines if _running(line, page, stats)]
        freed.extend(margin)
        if len(margin) < len(box.lines):
            boxes.append(replace(box, lines=[line for line in box.lines if all(line is not m for m in margin)]))
    return boxes, freed


def order_page(page: PageLines, stats: DocStats) -> list[Para]:
    """The page's paragraphs and boxes in reading order, headers first and footers last."""
    boxes, freed = _page_boxes(page, stats)
    classified = [(line, _classify(line, page, stats)) for line in page.lines + freed]
    margins = [(line, kind) for line, kind in classified if kind in ("header", "footer")]
    content = [(line, kind) for line, kind in classified if kind not in ("header", "footer")]
    spans = measure_spans([line for line, _ in content])
    gutters = find_gutters(spans, 0.0, page.width)
    if not gutters and not any(x0 < g < x1 for g in stats.gutters for x0, x1 in spans):
        gutters = stats.gutters
    by_column: dict[int, list[tuple[Line, str]]] = {}
    spanning_headings: list[Line] = []
    for line, kind in sorted(content, key=lambda pair: pair[0].top):
        column = column_of(line.x0, line.x1 - line.hang, gutters)
        if kind == "heading" and (column == 0 or any(_wraps(above, line) for above in spanning_headings)):
            column = 0  # a heading across the columns, and the short last line it wraps onto
            spanning_headings.append(line)
        by_column.setdefault(column, []).append((line, kind))
    elements: list[Para] = []
    for column, lines in sorted(by_column.items()):
        elements.extend(_column_paras(page, lines, column, stats))
    for box in boxes:
        elements.append(_box_para(page, box, column_of(box.x0, box.x1, gutters), stats))

    spanning = sorted((e for e in elements if e.column == 0), key=lambda e: e.top)
    columns = [e for e in elements if e.column != 0]
    ordered: list[Para] = []
    upper = float("-inf")
    for band_end in spanning + [None]:
        limit = band_end.top if band_end else float("inf")
        chunk = [e for e in columns if upper <= e.top < limit]
        ordered.extend(sorted(chunk, key=lambda e: (e.column, e.top)))
        if band_end:
            ordered.append(band_end)
            upper = band_end.top
    margins.sort(key=lambda pair: (pair[0].top, pair[0].x0))
    header = [Para(page.number, kind, 0, [line], text=line.text) for line, kind in margins if kind == "header"]
    footer = [Para(page.number, kind, 0, [line], text=line.text) for line, kind in margins if kind == "footer"]
    return header + ordered + footer


def join_continuations(paras: list[Para]) -> list[Para]:
    """Join a body paragraph cut by a column, box or page break to its continuation.

    The continuation is the next body paragraph in reading order (boxes, captions, footnotes and
    margins in between are skipped; a heading stops the search) when the first does not end a
    sentence and the second does not start with an indent, a bullet or a list number.
    """
    out: list[Para] = []
    open_para: Para | None = None
    last: Para | None = None  # the last piece joined to open_para
    for para in paras:
        if para.kind == "heading":
            open_para = None
        elif para.kind == "body":
            if (
                open_para is not None
                and last is not None
                and not para.indented
                and abs(para.lines[0].size - last.lines[-1].size) < 0.6
                and not _right_below(last, para)
            ):
                joined = join_pieces(open_para.text, para.text)
                base = len(joined) - len(para.text.lstrip())
                open_para.marks.extend(_shifted(para.marks, base))
                open_para.ruby.extend(_shifted(para.ruby, base))
                open_para.text = joined
                open_para.parts.append(_part(para))
                open_para = None if _ends_sentence(para.text) else open_para
                last = para
                continue
            open_para = last = None if _ends_sentence(para.text) else para
        out.append(para)
    return out


def _right_below(upper: Para, lower: Para) -> bool:
    """Whether ``lower`` starts on the line right below ``upper`` in the same column: nothing cut them apart,
    the paragraph rules did (a line at a list item's bullet, not at its text, is not its continuation)."""
    last, first = upper.lines[-1], lower.lines[0]
    return (
        (lower.page, lower.column) == (upper.page, upper.column)
        and 0 <= first.top - last.bottom < NEXT_LINE_EM * last.size
        and first.x0 < last.x1
    )


def _part(para: Para) -> Part:
    return Part(page=para.page, column=para.column, bbox=para.bbox)


def edition_title(pages: list[PageLines]) -> str:
    """The edition as printed in running heads and feet (令和7年版), or empty."""
    for page in pages:
        for line in page.lines:
            match = EDITION_TITLE.search(line.text)
            if match:
                return match.group(0)
    return ""


def blocks_for_file(pages: list[PageLines], edition: str, file: str, stats: DocStats) -> list[Block]:
    """All blocks of one file, in reading order, as written to ``blocks.jsonl``."""
    paras: list[Para] = []
    printed: dict[int, str] = {}
    for page in pages:
        ordered = order_page(page, stats)
        numbers = {
            kind: [
                m.group(1) or m.group(2)
                for para in ordered
                if para.kind == kind and (m := PRINTED_PAGE.search(para.text))
            ]
            for kind in ("footer", "header")
        }
        if found := numbers["footer"] or numbers["header"]:  # the foot's number, else the running head's
            printed[page.number] = found[-1]
        paras.extend(ordered)
    paras = join_continuations(paras)
    blocks = []
    for para in paras:
        first = _part(para)
        blocks.append(
            Block(
                edition=edition,
                file=file,
                page=para.page,
                printed_page=printed.get(para.page, ""),
                kind=para.kind,
                label=para.label,
                title=para.title,
                level=para.level,
                column=para.column,
                bbox=first["bbox"],
                font_size=round(para.lines[0].size, 1),
                text=para.text,
                footnote_marks=para.marks,
                ruby=para.ruby,
                title_ruby=para.title_ruby,
                parts=[first] + para.parts,
            )
        )
    return blocks


# --- the stage: editions in, build/<edition>/blocks.jsonl out ---------------------------------------

# Files with fewer pages than this are read in the main process (workers cost ~1 s to start).
PARALLEL_MIN_PAGES = 40
# Pages per task sent to a worker. Workers are not recycled: every page is closed after use, which
# keeps their memory flat, and max_tasks_per_child makes Python 3.11's process pool hang (bench/README.md).
PAGES_PER_TASK = 16
DEFAULT_PAGE_TIMEOUT_S = 60.0
ROTATED_REMEDY = (
    "to include it, turn the page so the text is upright (qpdf {file} upright.pdf --rotate=+90:{page}, or -90)"
)


def _read_page(document: Document, number: int, page_timeout: float) -> PageLines:
    """One page's lines; a page over the time limit is an error."""
    with _time_limit(page_timeout, document.path, number):
        return read_page_lines(document.page(number))


_worker_document: Document | None = None  # the file a worker process reads, opened once by _open_in_worker


def _open_in_worker(path: Path, engine: str) -> None:
    global _worker_document
    _worker_document = Document(path, engine)


def _read_chunk(numbers: list[int], page_timeout: float) -> list[PageLines]:
    """Some pages of the worker's file (runs in a worker process)."""
    assert _worker_document is not None
    return [_read_page(_worker_document, number, page_timeout) for number in numbers]


class _PageTimeout(BaseException):
    """Raised by the alarm. Not an Exception: pdfminer swallows those in places, and would read on."""


@contextmanager
def _time_limit(seconds: float, path: Path, page: int) -> Iterator[None]:
    """Raise HakushoError if the block runs longer than ``seconds`` (main thread of a process only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _PageTimeout:
        raise HakushoError(
            f"{path}: page {page}: took longer than {seconds:g} s to read (a pathological page); "
            "raise --page-timeout or remove the page"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_file(
    path: Path,
    *,
    jobs: int,
    progress: bool,
    page_timeout: float,
    label: str = "",
    min_parallel_pages: int = PARALLEL_MIN_PAGES,
    pages_per_task: int = PAGES_PER_TASK,
    engine: str = DEFAULT_ENGINE,
) -> list[PageLines]:
    """All pages of one PDF as PageLines, in page order, using up to ``jobs`` worker processes.

    Each worker opens the file once (``_open_in_worker``) and is sent runs of page numbers.
    """
    with Document(path, engine) as document:
        bar = tqdm(total=document.page_count, unit="page", desc=label or path.name, disable=not progress, leave=False)
        try:
            if jobs <= 1 or document.page_count < min_parallel_pages:
                pages = []
                for number in range(1, document.page_count + 1):
                    pages.append(_read_page(document, number, page_timeout))
                    bar.update(1)
                return pages
            return _read_in_workers(document, jobs, page_timeout, pages_per_task, bar)
        finally:
            bar.close()


def _read_in_workers(document: Document, jobs: int, page_timeout: float, pages_per_task: int, bar):
    """Runs of ``pages_per_task`` pages to ``jobs`` workers; results put back in page order."""
    numbers = list(range(1, document.page_count + 1))
    chunks = [numbers[i : i + pages_per_task] for i in range(0, len(numbers), pages_per_task)]
    results: dict[int, list[PageLines]] = {}
    try:
        with process_pool(jobs, initializer=_open_in_worker, initargs=(document.path, document.engine)) as pool:
            futures = {pool.submit(_read_chunk, chunk, page_timeout): i for i, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                bar.update(len(results[futures[future]]))
    except BrokenProcessPool as exc:  # a worker died (out of memory, a crash) or could not open the file
        raise HakushoError(
            f"{document.path}: a worker process stopped while reading it (out of memory, a crash, or the file "
            "could not be opened); run again with --jobs 1 to read it in one process and see which page fails"
        ) from exc
    return [page for i in range(len(chunks)) for page in results[i]]


def _problems(file: str, pages: list[PageLines]) -> list[dict]:
    return [
        {"file": file, "page": p.number, "status": p.status, "reason": p.reason}
        for p in pages
        if p.status not in ("ok", "blank")
    ]


def layout_edition(
    edition: Edition,
    build: Path,
    *,
    jobs: int = 1,
    progress: bool = False,
    force: bool = False,
    page_timeout: float = DEFAULT_PAGE_TIMEOUT_S,
    engine: str = DEFAULT_ENGINE,
) -> Decision:
    """Write ``build/<year>/blocks.jsonl`` (and ``pages.jsonl``, ``layout.json``) unless already current.

    The manifest ``layout.json`` is written last: it is the mark that the other two are complete, and
    it records the stage's key (``pipeline/cache.py``: the PDFs' SHA-256, the engine, the code and data
    files the stage runs), so an edition whose key is unchanged is not read again.
    """
    out = build / edition.name
    files = [{"name": f.name, "sha256": d} for f, d in zip(edition.files, edition.digests, strict=True)]
    key = stage_key(
        "layout",
        __name__,
        inputs={f"{edition.name}/{entry['name']}": entry["sha256"] for entry in files},
        options={"edition": edition.name, "engine": engine},
    )
    done = out / "layout.json"
    outputs = [out / "blocks.jsonl", out / "pages.jsonl"]
    decision = decide(key, read_record(done, "cache"), force=force, outputs=outputs)
    if not decision.run:
        return decision
    per_file = []
    for path in edition.files:
        label = f"{edition.year} {path.name}"
        pages = read_file(path, jobs=jobs, progress=progress, page_timeout=page_timeout, label=label, engine=engine)
        problems = _problems(path.name, pages)
        if problems and all(p.status in ("no_text", "cid", "blank") or not (p.lines or p.boxes) for p in pages):
            first = problems[0]
            raise HakushoError(
                f"{path}: no usable text layer on any of its {len(pages)} pages (page {first['page']}: "
                f"{first['reason']}); OCR is needed: run it through OCR (e.g. ocrmypdf) and use that file"
            )
        per_file.append((path, pages))
    all_pages = [page for _, pages in per_file for page in pages]
    stats = doc_stats(all_pages)
    blocks, problems, page_rows = [], [], []
    for path, pages in per_file:
        blocks.extend(blocks_for_file(pages, edition.name, path.name, stats))
        problems.extend(_problems(path.name, pages))
        page_rows.extend(
            PageReport(
                file=path.name,
                page=p.number,
                status=p.status,
                reason=p.reason,
                glyphs=p.glyph_count,
                garbled=len(p.garbled),
            )
            for p in pages
        )
    for problem in problems:
        remedy = "OCR the page to include it"
        if problem["status"] in ("rotated", "partly_rotated"):
            remedy = ROTATED_REMEDY.format(file=problem["file"], page=problem["page"])
        log(
            f"warning: {edition.year}/{problem['file']}: page {problem['page']}: {problem['reason']}; "
            f"its text is missing from the tables (listed in review); {remedy}"
        )
    manifest = {
        "edition": edition.name,
        "title": edition_title(all_pages),
        "pages": len(all_pages),
        "layout_version": key.version,
        "files": [{**entry, "pages": len(pages)} for entry, (_, pages) in zip(files, per_file, strict=True)],
        "cache": key.record(),
    }
    write_jsonl(out / "blocks.jsonl", blocks)
    write_jsonl(out / "pages.jsonl", page_rows)
    write_text(done, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return decision


def log(message: str) -> None:
    print(message, file=sys.stderr)
