"""The rule layer's language tools: fugashi (UniDic) tokens as spaCy Docs, and sentence splitting.

spaCy's own Japanese pipeline needs SudachiPy; we want UniDic's part-of-speech tags (they mark
country names as 名詞-固有名詞-地名-国), so a blank multilingual pipeline gets a tokenizer that runs
fugashi and builds the Doc from its tokens: words, trailing spaces, tags (``名詞-固有名詞-地名-国``)
and lemmas. spaCy's Matcher then matches on those tags and lemmas, so rules are patterns, not loops.

The dictionary is pinned to unidic-lite by path: fugashi would silently prefer the full ``unidic``
package if someone installed it, and its tags differ.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .punctuation import CLOSERS, OPENERS, SENTENCE_END

COUNTRY_TAG = "名詞-固有名詞-地名-国"


@lru_cache(maxsize=1)
def tagger():
    """A fugashi Tagger on the unidic-lite dictionary, whatever else is installed."""
    import fugashi
    import unidic_lite

    return fugashi.Tagger(f'-r "{unidic_lite.DICDIR}/mecabrc" -d "{unidic_lite.DICDIR}"')


class FugashiTokenizer:
    """A spaCy tokenizer: text → Doc with UniDic tags and lemmas (copied out of each node at once)."""

    def __init__(self, vocab):
        self.vocab = vocab
        # feature string → (tag, lemma): parsing UniDic's 29 fields into a named tuple for every token
        # was half the tokenizer's time; a book uses a few ten thousand distinct entries.
        self._features: dict[str, tuple[str, str | None]] = {}

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []

        def gap(chars: str) -> None:
            """Text fugashi skipped (whitespace, control characters): a trailing space or a token of its own."""
            if chars == " " and words and not spaces[-1]:
                spaces[-1] = True
            elif chars:
                words.append(chars)
                spaces.append(False)
                tags.append("空白")
                lemmas.append(chars)

        position = 0
        for node in tagger()(text):
            surface = node.surface
            start = text.find(surface, position)
            if start < 0:  # never seen; keep the Doc's text equal to the input all the same
                continue
            gap(text[position:start])
            known = self._features.get(node.feature_raw)
            if known is None:
                feature = node.feature
                tag = "-".join(p for p in (feature.pos1, feature.pos2, feature.pos3, feature.pos4) if p and p != "*")
                lemma = feature.lemma.split("-")[0] if feature.lemma else None  # 為る-為る → 為る
                known = self._features[node.feature_raw] = (tag, lemma)
            words.append(surface)
            spaces.append(False)
            tags.append(known[0])
            lemmas.append(surface.split("-")[0] if known[1] is None else known[1])
            position = start + len(surface)
        gap(text[position:])
        # Every piece is a slice of ``text`` in order, so equal lengths mean the Doc's text is ``text``
        # (offsets stay honest); cheaper than comparing ``doc.text``, which rebuilds the string.
        if sum(map(len, words)) + sum(spaces) != len(text):
            raise ValueError(f"tokenizer changed the text: {text!r}")
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas)


@lru_cache(maxsize=1)
def nlp():
    """A blank spaCy pipeline whose tokenizer is fugashi's."""
    import spacy

    pipeline = spacy.blank("xx")
    pipeline.tokenizer = FugashiTokenizer(pipeline.vocab)
    return pipeline


def make_doc(text: str):
    """A spaCy Doc of ``text`` (offsets of tokens match ``text`` exactly)."""
    return nlp()(text)


def country_tokens(doc) -> list[tuple[int, int]]:
    """Character spans of tokens UniDic tags as country names (a signal for names the resolver lacks)."""
    return [(t.idx, t.idx + len(t.text)) for t in doc if t.tag_ == COUNTRY_TAG]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: ends at 。！？ outside brackets, or at a newline; a note in
    parentheses right after the end (…締結されている。(※…)) stays with its sentence.

    A paragraph is split by several rules in a row, so the spans of the last few texts are kept."""
    return list(_sentence_spans(text))


# The characters the sentence splitter acts on; it jumps from one to the next (most characters are none of them).
_MARKS = re.compile("[" + re.escape(OPENERS + CLOSERS + SENTENCE_END) + "\n]")


@lru_cache(maxsize=64)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = depth = 0
    for mark in _MARKS.finditer(text):
        i = mark.start()
        if i < start:  # a closer or a note already taken into the sentence before
            continue
        char = text[i]
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char == "\n" or depth == 0:  # a newline, or a sentence end outside brackets
            end = i + 1 if char != "\n" else i
            while end < len(text) and text[end] in CLOSERS:
                end += 1
            if end < len(text) and text[end] in "(（" and text.startswith("※", end + 1):
                close = _matching_close(text, end)
                end = close + 1 if close > 0 else end
            if text[start:end].strip():
                spans.append(_strip(text, start, end))
            start = end + 1 if char == "\n" else end
            depth = 0
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return tuple(spans)


def _matching_close(text: str, open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] in OPENERS:
            depth += 1
        elif text[j] in CLOSERS:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
