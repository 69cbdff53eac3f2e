"""Character normalisation rules (pipeline/normalize.py), one row per class the README documents."""

import pytest

from pipeline.normalize import collapse_spaces, is_japanese, join_pieces, normalize_text

NORMALIZE_CASES = (
    # (as the text layer gives it, as the tables must spell it)
    ("⼒", "力"),  # Kangxi radical POWER
    ("⾃衛隊", "自衛隊"),  # Kangxi radical SELF
    ("成⻑", "成長"),  # CJK radical supplement LONG
    ("⼀⽅", "一方"),
    ("防衛装備品‧技術移転協定", "防衛装備品・技術移転協定"),  # U+2027 → katakana middle dot
    ("ＡＣＳＡ", "ACSA"),
    ("２０２５年４月", "2025年4月"),
    ("（ＲＡＡ）", "(RAA)"),
    ("資料：", "資料:"),
    ("ｱｸﾞﾘｰﾒﾝﾄ", "アグリーメント"),  # half-width katakana, voiced mark joined
    ("第Ⅲ部", "第III部"),
    ("図表Ⅱ-1", "図表II-1"),
    ("Indo-Paciﬁc", "Indo-Pacific"),  # ligature
    ("① 平和の原則", "① 平和の原則"),  # circled numbers kept
    ("11,991㎞", "11,991㎞"),  # other compatibility characters kept
    ("※米国とは", "※米国とは"),
    ("日本\u3000語", "日本 語"),  # ideographic space → space (dropped later between Japanese)
)


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


JOIN_CASES = (
    ("などの制", "度的枠組み", "などの制度的枠組み"),
    ("Acquisition and Cross-", "Servicing", "Acquisition and Cross-Servicing"),
    ("Acquisition and", "Cross-Servicing", "Acquisition and Cross-Servicing"),
    ("(Free and Open Indo-", "Pacific)", "(Free and Open Indo-Pacific)"),
    ("インド太平洋 (FOIP)", "というビジョン", "インド太平洋 (FOIP)というビジョン"),
    (
        "Tokyo International Conference on African",
        "Development",
        "Tokyo International Conference on African Development",
    ),
    ("", "度的", "度的"),
    ("(ACSA:", "Acquisition and", "(ACSA:Acquisition and"),
    ("Agreement,", "and", "Agreement, and"),
    ("https://www.mod.go.jp/j/", "approach/", "https://www.mod.go.jp/j/approach/"),
)


@pytest.mark.parametrize(("left", "right", "expected"), JOIN_CASES)
def test_join_pieces(left, right, expected):
    assert join_pieces(left, right) == expected


SPACE_CASES = (
    ("自 由 で 開 か れ た", "自由で開かれた"),
    ("円滑化協定 (RAA)", "円滑化協定 (RAA)"),
    ("Free  and   Open", "Free and Open"),
    ("令和7年版 防衛白書 1", "令和7年版防衛白書 1"),
)


@pytest.mark.parametrize(("raw", "expected"), SPACE_CASES)
def test_collapse_spaces(raw, expected):
    assert collapse_spaces(raw) == expected


@pytest.mark.parametrize(
    ("char", "japanese"),
    (("あ", True), ("ア", True), ("協", True), ("、", True), ("A", False), ("1", False), ("(", False), ("・", True)),
)
def test_is_japanese(char, japanese):
    assert is_japanese(char) is japanese
