"""Box labels (pipeline/box_labels.py, data/box_labels.csv): how a label is found at the start of a line, and
which labels mark a box that defines terms (its keywords and partner lists are read)."""

from __future__ import annotations

import pytest

from pipeline.box_labels import defines_terms, pattern

# (label as printed, defines terms)
LABELS = (
    ("KEY WORD", True),
    ("KeyWord", True),
    ("Key Words", True),
    ("KEYWORDS", True),
    ("キーワード", True),
    ("用語解説", True),
    ("【用語解説】", True),
    ("〈キーワード〉", True),
    ("〈解説〉", False),
    ("解説", False),
    ("コラム", False),
    ("COLUMN", False),
    ("VOICE", False),
    ("参考", False),
    ("", False),
)

# (line, the label found at its start, or None)
LINES = (
    ("KEY WORD", "KEY WORD"),
    ("KeyWord第3のオフセット戦略とは", "KeyWord"),
    ("K E Y  W O R D", "K E Y  W O R D"),
    ("キーワード 円滑化協定 (RAA)", "キーワード"),
    ("用語解説", "用語解説"),
    ("【コラム】日豪の協力", "【コラム】"),
    ("Keywordless text", None),
    ("円滑化協定 (RAA)", None),
)


@pytest.mark.parametrize(("label", "defines"), LABELS)
def test_which_labels_define_terms(label, defines):
    assert defines_terms(label) is defines


@pytest.mark.parametrize(("line", "label"), LINES)
def test_a_label_at_the_start_of_a_line(line, label):
    match = pattern().match(line)
    assert (match["label"] if match else None) == label
