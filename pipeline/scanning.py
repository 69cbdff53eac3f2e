"""Regex scanning that tries a pattern only where a match may start.

Why: Python's regex engine skips quickly to where a match may start only when every alternative of a pattern
starts with a literal character. A pattern whose alternatives start with lookbehinds, groups or classes (a date:
16(平成28)年, 同年, 本年…; a run of short country names after 在, 対…) is tried at every character of the text,
and that was most of its cost. ``matches`` looks for the next character a match can start with (one fast
search for a character class) and tries the pattern there only: the same matches as ``finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def start_class(chars: str) -> re.Pattern[str]:
    """A pattern for one character of ``chars``: those every match of a pattern starts with."""
    return re.compile("[" + "".join(re.escape(char) for char in sorted(set(chars))) + "]")


def matches(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text``, those ``pattern.finditer(text)`` gives, when every match starts with
    a character ``starts`` matches and none is empty (its lookbehinds still see the text before it)."""
    position = 0
    while (start := starts.search(text, position)) is not None:
        found = pattern.match(text, start.start())
        if found:
            yield found
            position = max(found.end(), start.start() + 1)
        else:
            position = start.start() + 1
