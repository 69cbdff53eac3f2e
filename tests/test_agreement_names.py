"""Agreement names in a sentence (pipeline.agreement_names): the vocabulary, the open vocabulary, kinds, prefixes.

Expectations written for unidic-lite 1.0.8 (the open-vocabulary walk runs on fugashi tokens).
"""

from __future__ import annotations

import pytest

from pipeline.agreement_names import agreement_kind, bilateral_prefix, find_mentions

ACSA, RAA, TECH = "物品役務相互提供協定", "円滑化協定", "防衛装備品・技術移転協定"
DECL = "安全保障協力に関する共同宣言"

# (text, [(span as written, canonical name, abbr, kind, partner iso3s, known)])
MENTION_CASES = (
    # the vocabulary: variants, prefixes, glosses in parentheses
    (
        "日豪ACSAや日英防衛装備品・技術移転協定",
        [
            ("日豪ACSA", ACSA, "ACSA", "agreement", ["AUS"], True),
            ("日英防衛装備品・技術移転協定", TECH, "", "agreement", ["GBR"], True),
        ],
    ),
    (
        "日豪円滑化協定(RAA)と日豪RAA",
        [
            ("日豪円滑化協定", RAA, "RAA", "agreement", ["AUS"], True),
            ("日豪RAA", RAA, "RAA", "agreement", ["AUS"], True),
        ],
    ),
    ("物品・役務相互提供協定(ACSA)", [("物品・役務相互提供協定", ACSA, "ACSA", "agreement", [], True)]),
    ("日米物品役務相互提供協定(日米ACSA)", [("日米物品役務相互提供協定", ACSA, "ACSA", "agreement", ["USA"], True)]),
    (
        "相互防衛調達了解覚書(RDP MOU)",
        [("相互防衛調達了解覚書", "相互防衛調達了解覚書", "RDP MOU", "arrangement", [], True)],
    ),
    (
        "日韓秘密軍事情報保護協定",
        [("日韓秘密軍事情報保護協定", "秘密軍事情報保護協定", "GSOMIA", "agreement", ["KOR"], True)],
    ),
    (
        "「安全保障協力に関する日豪共同宣言」",
        [("安全保障協力に関する日豪共同宣言", DECL, "", "declaration", ["AUS"], True)],
    ),
    (
        "日・マレーシア防衛装備品及び技術の移転に関する協定",
        [("日・マレーシア防衛装備品及び技術の移転に関する協定", TECH, "", "agreement", ["MYS"], True)],
    ),
    ("日本のACSAs", []),
    ("日米韓ACSA", [("日米韓ACSA", ACSA, "ACSA", "agreement", ["USA", "KOR"], True)]),
    ("今次特別協定を巡る交渉", [("今次特別協定", "特別協定", "", "agreement", [], True)]),
    # the open vocabulary: a noun phrase headed by a word of data/agreement_heads.csv
    (
        "人道支援・災害救援活動に関する取決めを作成した",
        [
            (
                "人道支援・災害救援活動に関する取決め",
                "人道支援・災害救援活動に関する取決め",
                "",
                "arrangement",
                [],
                False,
            )
        ],
    ),
    (
        "日豪ACSAに基づく手続取決めの署名",
        [("日豪ACSAに基づく手続取決め", "ACSAに基づく手続取決め", "", "arrangement", ["AUS"], False)],
    ),
    (
        "「防衛装備品等の供給の安定化に係る取決め」(SoSA)",
        [
            (
                "防衛装備品等の供給の安定化に係る取決め",
                "防衛装備品等の供給の安定化に係る取決め",
                "SoSA",
                "arrangement",
                [],
                True,
            )
        ],
    ),
    (
        "「日本国政府とウクライナとの間のウクライナへの支援及び協力に関するアコード」に署名",
        [
            (
                "日本国政府とウクライナとの間のウクライナへの支援及び協力に関するアコード",
                "ウクライナへの支援及び協力に関するアコード",
                "",
                "arrangement",
                ["UKR"],
                False,
            )
        ],
    ),
    (
        "日本国とアメリカ合衆国との間の相互協力及び安全保障条約",
        [
            (
                "日本国とアメリカ合衆国との間の相互協力及び安全保障条約",
                "相互協力及び安全保障条約",
                "",
                "agreement",
                ["USA"],
                True,
            )
        ],
    ),
    (
        "日米韓3か国安全保障協力枠組み覚書への署名",
        [("日米韓3か国安全保障協力枠組み覚書", "安全保障協力枠組み覚書", "", "arrangement", ["USA", "KOR"], False)],
    ),
    (
        "「無人航空機へ適用するAI技術に係る日米共同研究」に関する事業取決め",
        [
            (
                "「無人航空機へ適用するAI技術に係る日米共同研究」に関する事業取決め",
                "無人航空機へ適用するAI技術に係る日米共同研究に関する事業取決め",
                "",
                "arrangement",
                [],
                False,
            )
        ],
    ),
    (
        "中距離核戦力(INF)全廃条約について",
        [("中距離核戦力(INF)全廃条約", "中距離核戦力全廃条約", "", "agreement", [], False)],
    ),
    (
        "新戦略兵器削減条約(新START)の延長",
        [("新戦略兵器削減条約", "新戦略兵器削減条約", "新START", "agreement", [], False)],
    ),
    ("日比両政府は、政府間枠組みを締結した", [("政府間枠組み", "政府間枠組み", "", "arrangement", [], False)]),
    (
        "「21世紀のための特別な戦略的パートナーシップ」に関する共同声明",
        [
            (
                "「21世紀のための特別な戦略的パートナーシップ」に関する共同声明",
                "21世紀のための特別な戦略的パートナーシップに関する共同声明",
                "",
                "declaration",
                [],
                False,
            )
        ],
    ),
    # a bare head takes its name from the parentheses after it, or is no name at all
    ("特別な措置を定める協定(特別協定)を締結した", [("協定", "特別協定", "", "agreement", [], True)]),
    ("CCWなどの各種条約に加え、新たな協定と制度的枠組み、両国間の枠組み", []),
    ("米国以外では初の安全保障に特化した共同宣言である", []),
    # a head followed by a noun is not a head; two names joined by 及び stay two names
    ("資料40(各種協定締結状況)、北大西洋条約機構、CCWの枠組み外", []),
    (
        "日豪防衛装備品・技術移転協定及び日豪情報保護協定",
        [
            ("日豪防衛装備品・技術移転協定", TECH, "", "agreement", ["AUS"], True),
            ("日豪情報保護協定", "情報保護協定", "", "agreement", ["AUS"], True),
        ],
    ),
    # 宣言 used as a verb is no name; a date never starts one
    ("核兵器の開発・保有を宣言してきた", []),
    (
        "2024年5月のプロジェクト取決めの署名",
        [("プロジェクト取決め", "プロジェクト取決め", "", "arrangement", [], False)],
    ),
)

# (text, [(canonical name, foreign)]): names of other states' agreements
FOREIGN_CASES = (
    ("「中朝友好協力および相互援助条約」", [("中朝友好協力および相互援助条約", True)]),
    ("米比相互防衛条約", [("米比相互防衛条約", True)]),
    ("日米安保条約", [("相互協力及び安全保障条約", False)]),
)

# references back: (text, [(span, kind)])
REFERENCE_CASES = (
    ("同協定は即日発効した", [("同協定", "agreement")]),
    ("この補足協定は", [("この補足協定", "agreement")]),
    ("本取決めは", [("本取決め", "arrangement")]),
    ("基本協定", []),
)

KIND_CASES = (
    ("円滑化協定", "agreement"),
    ("物品役務相互提供協定", "agreement"),
    ("相互防衛調達了解覚書", "arrangement"),
    ("対米武器・武器技術供与取極", "arrangement"),
    ("安全保障協力に関する共同宣言", "declaration"),
    ("防衛協力に関する共同声明", "declaration"),
    ("衛星コンステレーション", ""),
)

PREFIX_CASES = (
    ("日豪ACSA", (2, ["AUS"])),
    ("日・マレーシア協定", (7, ["MYS"])),
    ("日米韓3か国", (6, ["USA", "KOR"])),
    ("日本国", (0, [])),
    ("日程", (0, [])),
)


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_mentions(text, expected):
    got = [
        (text[m.start : m.end], m.name, m.abbr, m.kind, [p.iso3 for p in m.partners], m.known)
        for m in find_mentions(text)
        if not m.reference
    ]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), FOREIGN_CASES)
def test_names_of_other_states_agreements(text, expected):
    assert [(m.name, m.foreign) for m in find_mentions(text)] == expected


@pytest.mark.parametrize(("text", "expected"), REFERENCE_CASES)
def test_references_back(text, expected):
    assert [(text[m.start : m.end], m.kind) for m in find_mentions(text) if m.reference] == expected


@pytest.mark.parametrize(("name", "kind"), KIND_CASES)
def test_agreement_kind(name, kind):
    assert agreement_kind(name) == kind


@pytest.mark.parametrize(("text", "expected"), PREFIX_CASES)
def test_bilateral_prefix(text, expected):
    size, partners = bilateral_prefix(text)
    assert (size, [p.iso3 for p in partners]) == expected
