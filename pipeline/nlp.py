"""The rule layer's language tools: fugashi (UniDic) tokens, as plain tuples and as spaCy Docs, and sentence splitting.

spaCy's own Japanese pipeline needs SudachiPy; we want UniDic's part-of-speech tags (they mark
country names as 名詞-固有名詞-地名-国), so a blank multilingual pipeline gets a tokenizer that runs
fugashi and builds the Doc from its tokens: words, trailing spaces, tags (``名詞-固有名詞-地名-国``)
and lemmas. spaCy's Matcher then matches on those tags and lemmas, so rules are patterns, not loops.

Rules that walk tokens by hand (left from a head noun, across a clause) read ``tokens(text)``: the same
tokens as ``Token`` tuples with spaCy's attribute names (``text``, ``idx``, ``tag_``, ``lemma_``), so a
spaCy Doc can stand in for them (the tests pass Docs). Every spaCy ``Token`` is a new object made each time
a Doc is iterated or indexed, which cost more than the tokenizing; a Doc is built only for the Matcher
(``doc_of``).

The dictionary is pinned to unidic-lite by path: fugashi would silently prefer the full ``unidic``
package if someone installed it, and its tags differ.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .punctuation import CLOSERS, OPENERS, SENTENCE_END

# The tag of text fugashi skipped (whitespace other than one space after a word, control characters).
GAP_TAG = "空白"
# Tag prefixes of tokens that may be part of a noun phrase (a term, an agreement's name), and the symbols
# that join its parts: 防衛装備品・技術, F-35A戦闘機.
NOUN_PHRASE_TAGS = ("名詞", "接頭辞", "接尾辞", "形状詞")
NOUN_PHRASE_SYMBOLS = ("・", "･", "-")


@lru_cache(maxsize=1)
def tagger():
    """A fugashi Tagger on the unidic-lite dictionary, whatever else is installed."""
    import fugashi
    import unidic_lite

    return fugashi.Tagger(f'-r "{unidic_lite.DICDIR}/mecabrc" -d "{unidic_lite.DICDIR}"')


class Token(NamedTuple):
    """One token as the rules read it (the attributes of a spaCy Token of the same name)."""

    text: str
    idx: int  # offset of the token in the text
    tag_: str  # UniDic's part of speech, 名詞-固有名詞-地名-国; GAP_TAG for skipped text
    lemma_: str  # UniDic's lemma (為る for し), the text itself for skipped text


# A NamedTuple's constructor is a Python function around this; a sentence has hundreds of tokens.
_new_tuple = tuple.__new__

# UniDic feature string → (tag, lemma): parsing its 29 fields into a named tuple for every token was half
# the tokenizer's time; a book uses a few ten thousand distinct entries (the dictionary bounds this table).
_ENTRIES: dict[str, tuple[str, str | None]] = {}


def _entry(node) -> tuple[str, str | None]:
    """The (tag, lemma) of a node's dictionary entry not seen before (kept in _ENTRIES)."""
    feature = node.feature
    tag = "-".join(p for p in (feature.pos1, feature.pos2, feature.pos3, feature.pos4) if p and p != "*")
    lemma = feature.lemma.split("-")[0] if feature.lemma else None  # 為る-為る → 為る
    known = _ENTRIES[node.feature_raw] = (tag, lemma)
    return known


def tokens(text: str) -> list[Token]:
    """fugashi's tokens of ``text``, copied out of each node at once (a node is only valid until the next parse).

    The tokens and the spaces between them make up ``text`` exactly: one space after a word is that word's
    trailing space (as in a spaCy Doc), any other text fugashi skips is a token tagged GAP_TAG."""
    found: list[Token] = []
    spaced = False  # the last token has a trailing space
    spaces = position = 0

    def gap(end: int) -> None:
        nonlocal spaced, spaces
        chars = text[position:end]
        if chars == " " and found and not spaced:
            spaced = True
            spaces += 1
        elif chars:
            found.append(Token(chars, position, GAP_TAG, chars))
            spaced = False

    for node in tagger()(text):
        surface = node.surface
        start = text.find(surface, position)
        if start < 0:  # never seen; keep the tokens' text equal to the input all the same
            continue
        if start > position:
            gap(start)
        tag, lemma = _ENTRIES.get(node.feature_raw) or _entry(node)
        lemma = surface.split("-")[0] if lemma is None else lemma
        found.append(_new_tuple(Token, (surface, start, tag, lemma)))  # Token(…), without its Python-level __new__
        spaced = False
        position = start + len(surface)
    gap(len(text))
    # Every token is a slice of ``text`` in order, so equal lengths mean the tokens make up ``text`` (offsets
    # stay honest).
    if sum(len(token.text) for token in found) + spaces != len(text):
        raise ValueError(f"tokenizer changed the text: {text!r}")
    return found


def _spaces(text: str, found) -> list[bool]:
    """Whether each token has a trailing space (the next token, or the end of the text, is further on)."""
    nexts = [token.idx for token in found[1:]] + [len(text)] if found else []
    return [following > token.idx + len(token.text) for token, following in zip(found, nexts, strict=True)]


def doc_of(text: str, found):
    """The spaCy Doc of ``text`` made of its ``tokens(text)`` (or of like tokens), for the Matcher."""
    return _doc(nlp().vocab, text, found)


def _doc(vocab, text: str, found):
    from spacy.tokens import Doc

    return Doc(
        vocab,
        words=[token.text for token in found],
        spaces=_spaces(text, found),
        tags=[token.tag_ for token in found],
        lemmas=[token.lemma_ for token in found],
    )


class FugashiTokenizer:
    """A spaCy tokenizer: text → Doc with UniDic tags and lemmas (``tokens``)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        return _doc(self.vocab, text, tokens(text))


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


def in_noun_phrase(token) -> bool:
    """The token may be part of a noun phrase (``NOUN_PHRASE_TAGS``, ``NOUN_PHRASE_SYMBOLS``)."""
    return token.tag_.startswith(NOUN_PHRASE_TAGS) or token.text in NOUN_PHRASE_SYMBOLS


def before_phrase(tokens, i: int, phrase: str) -> int | None:
    """If the tokens ending at ``i`` spell ``phrase``, the index of the token before them (None if none)."""
    j, text = i, ""
    while j >= 0 and len(text) < len(phrase):
        text = tokens[j].text + text
        j -= 1
    return j if text == phrase and j >= 0 else None


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
