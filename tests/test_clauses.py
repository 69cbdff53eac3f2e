"""Each rule of pipeline.clauses alone: predicates, argument roles, clauses with their dates, agreements and partners.

Expectations written for unidic-lite 1.0.8 (fugashi tokens). Sentences are written in the book's style.
"""

from __future__ import annotations

import pytest

from pipeline.agreement_names import find_mentions
from pipeline.clauses import argument_roles, cut, parentheses, predicates
from pipeline.dates import find_dates
from pipeline.nlp import make_doc

# (sentence, [(event word as written, event, form, not realised)])
PREDICATE_CASES = (
    ("日米ACSAに署名し、同年発効した。", [("署名", "signed", "conjunctive", ""), ("発効", "in_force", "final", "")]),
    (
        "同年7月に署名された日英情報保護協定が発効した。",
        [("署名", "signed", "relative", ""), ("発効", "in_force", "final", "")],
    ),
    ("日豪ACSAへの署名が行われ、", [("署名", "signed", "conjunctive", "")]),
    ("日豪ACSAの署名を以て", [("署名", "signed", "conjunctive", "")]),
    (
        "国会の承認を得て発効した。",
        [("国会の承認", "diet_approved", "conjunctive", ""), ("発効", "in_force", "final", "")],
    ),
    ("協定の署名・発効に至り、", [("署名", "signed", "conjunctive", ""), ("発効", "in_force", "conjunctive", "")]),
    (
        "1996年に締結(1999年に改正)した日米ACSA",
        [("締結", "concluded", "relative", ""), ("改正", "amended", "conjunctive", "")],
    ),
    ("日伊ACSAの交渉を開始することで一致した。", [("交渉を開始", "negotiation_started", "conjunctive", "")]),
    ("日NZ情報保護協定の策定作業の開始で一致した。", [("策定作業の開始", "negotiation_started", "final", "")]),
    ("取決めを取り交わした。", [("取り交わし", "concluded", "final", "")]),
    ("取決めが取り交わされた。", [("取り交わさ", "concluded", "final", "")]),
    ("日英円滑化協定について実質合意に至った。", [("実質合意", "agreed", "final", "")]),
    (
        "日米安全保障条約に調印し、同年6月に効力を生じた。",
        [("調印", "signed", "conjunctive", ""), ("効力を生じ", "in_force", "final", "")],
    ),
    ("(同年12月に同条約は発効)", [("発効", "in_force", "conjunctive", "")]),
    # not (yet) realised
    ("日比円滑化協定の署名に向けて調整している。", [("署名", "signed", "conjunctive", "に向け")]),
    ("日比円滑化協定は2026年に署名する予定である。", [("署名", "signed", "relative", "予定")]),
    ("協定の署名は延期された。", [("署名", "signed", "conjunctive", "は延期")]),
    ("日豪情報保護協定の早期締結で一致した。", [("締結", "concluded", "final", "早期")]),
    ("日英ACSAを締結することで一致した。", [("締結", "concluded", "conjunctive", "ことで一致")]),
    ("日米ACSAに署名していない。", [("署名", "signed", "final", "ない")]),
    ("最初の統合契約を締結すべく作業する。", [("締結", "concluded", "relative", "べく")]),
    ("協定を締結するため、協議した。", [("締結", "concluded", "conjunctive", "ため")]),
    ("米国などは未締結。", []),
    # nouns, not predicates
    ("資料40(各種協定締結状況)", []),
    ("交渉の結果、合意した内容", [("合意", "agreed", "relative", "")]),
    ("特別協定を巡る交渉の結果", []),
    ("日米両国政府間の合意に従い提供している。", []),
)

# (sentence, [(agreement name as written, particle that makes it an argument, or "")])
ROLE_CASES = (
    ("日韓秘密軍事情報保護協定(GSOMIA)を締結した。", [("日韓秘密軍事情報保護協定", "を")]),
    (
        "日豪ACSA及び日豪ACSAに基づく手続取決めの署名が行われ",
        [("日豪ACSA", "の"), ("日豪ACSAに基づく手続取決め", "の")],
    ),
    ("日豪ACSAや日豪情報保護協定といった協力のための基盤", [("日豪ACSA", ""), ("日豪情報保護協定", "")]),
    ("日米ACSAとともに国会で承認され", [("日米ACSA", "とともに")]),
    ("日仏ACSAについては同年6月に発効し", [("日仏ACSA", "について")]),
    ("日米地位協定の規定により", [("日米地位協定", "")]),
    ("日豪円滑化協定(RAA)により促進される", [("日豪円滑化協定", "")]),
    ("日英円滑化協定交渉を開始した", [("日英円滑化協定", "の")]),
    ("日豪ACSA1や日豪情報保護協定が", [("日豪ACSA", "が"), ("日豪情報保護協定", "が")]),
)

# (sentence, previous date, [(clause kind, dates, agreement names, iso3 of the partners the clause names)])
# (a name's own prefix, 日米…, is the name's partner, not the clause's: see tests/test_events_table.py)
CLAUSE_CASES = (
    # a date belongs to the next predicate; a chain carries its agreements and partners
    (
        "16(平成28)年9月には、日米物品役務相互提供協定への署名が行われ、17(平成29)年4月に国会で承認され、同月に発効した。",
        "",
        [
            ("main", ["2016-09"], ["物品役務相互提供協定"], []),
            ("main", ["2017-04"], ["物品役務相互提供協定"], []),
            ("main", ["2017-04"], ["物品役務相互提供協定"], []),
        ],
    ),
    # a date followed by 、 frames the clauses without a date of their own (until another date appears)
    (
        "ドイツとの間では、2017年、防衛装備品・技術移転協定に署名し、発効した。",
        "",
        [
            ("main", ["2017"], ["防衛装備品・技術移転協定"], ["DEU"]),
            ("main", ["2017"], ["防衛装備品・技術移転協定"], ["DEU"]),
        ],
    ),
    # a date with に does not: the later step is undated
    (
        "英国との間では、2013年7月に防衛装備品・技術移転協定に署名し、その後発効した。",
        "",
        [
            ("main", ["2013-07"], ["防衛装備品・技術移転協定"], ["GBR"]),
            ("main", [], ["防衛装備品・技術移転協定"], ["GBR"]),
        ],
    ),
    # a relative clause: its predicate's object is the noun phrase after it
    (
        "同年7月に署名された日英情報保護協定が14(同26)年1月に発効した。",
        "2013-03",
        [("relative", ["2013-07"], ["情報保護協定"], []), ("main", ["2014-01"], ["情報保護協定"], [])],
    ),
    # … unless the relative clause has its own object (the treaty is not what was agreed)
    (
        "2021年2月にロシアとの間で5年間の期限延長を合意した新戦略兵器削減条約について、注目される。",
        "",
        [("relative", ["2021-02"], [], ["RUS"])],
    ),
    # a parenthesis with a predicate is a clause of its own, about its host's agreement; coordinated dates
    (
        "1996年に締結(1999年及び2004年に改正)した日米ACSAに基づき",
        "",
        [
            ("relative", ["1996"], ["物品役務相互提供協定"], []),
            ("paren", ["1999", "2004"], ["物品役務相互提供協定"], []),
        ],
    ),
    # a date inside a parenthesis without a predicate dates nothing
    (
        "キューバ危機(1962年)など危険性が認識されるなかで、核兵器不拡散条約が発効した。",
        "",
        [("main", [], ["核兵器不拡散条約"], [])],
    ),
    # gapping: one verb, two objects, each with its own date and partner
    (
        "オーストラリアとの間では、10(平成22)年5月に日豪ACSAを、英国との間では、17(同29)年1月に日英ACSAを締結した。",
        "",
        [
            ("gapped", ["2010-05"], ["物品役務相互提供協定"], ["AUS"]),
            ("main", ["2017-01"], ["物品役務相互提供協定"], ["GBR"]),
        ],
    ),
    (
        "日豪ACSAは2013年1月に、日英ACSAは2017年8月に発効した。",
        "",
        [("gapped", ["2013-01"], ["物品役務相互提供協定"], []), ("main", ["2017-08"], ["物品役務相互提供協定"], [])],
    ),
    # 「Xとともに」 joins the previous clause's agreements, it does not replace them
    (
        "英国との間でACSAを作成し、日米ACSAとともに国会で承認された。",
        "",
        [("main", [], ["物品役務相互提供協定"], ["GBR"]), ("main", [], ["物品役務相互提供協定"] * 2, ["GBR"])],
    ),
    # a nearer verb takes a case-marked name; a topic loses its predicate to another object in its stretch
    ("日米地位協定を補足するため2015年に締結したもの。", "", [("main", ["2015"], [], [])]),
    (
        "この補足協定は、軍属の範囲を明確化し、適格性基準を作成するとともに、手続を定めている。",
        "",
        [("main", [], [], [])],
    ),
    ("日米ACSAは、物品を提供するもので、1996年に署名された。", "", [("main", ["1996"], ["物品役務相互提供協定"], [])]),
    # fiscal years and as-of dates date nothing
    ("2023年度に日英円滑化協定に署名した。", "", [("main", [], ["円滑化協定"], [])]),
)


@pytest.mark.parametrize(("sentence", "expected"), PREDICATE_CASES)
def test_predicates(sentence, expected):
    got = [
        (sentence[p.start : p.end], p.event, p.form, p.not_realised) for p in predicates(sentence, make_doc(sentence))
    ]
    assert got == expected


@pytest.mark.parametrize(("sentence", "expected"), ROLE_CASES)
def test_argument_roles(sentence, expected):
    mentions = find_mentions(sentence)
    roles = argument_roles(sentence, mentions)
    assert [(sentence[m.start : m.end], roles[m][0]) for m in mentions] == expected


@pytest.mark.parametrize(("sentence", "previous", "expected"), CLAUSE_CASES)
def test_clauses(sentence, previous, expected):
    doc = make_doc(sentence)
    clauses = cut(sentence, doc, find_mentions(sentence, doc), find_dates(sentence, previous))
    got = [
        (c.kind, [d.value for d in c.dates], [m.name for m in c.agreements], [p.iso3 for p in c.partners])
        for c in clauses
    ]
    assert got == expected


def test_parentheses_are_the_outermost_spans():
    text = "協定(GSOMIA:General (Security))を締結(1999年に改正)した"
    assert [text[s:e] for s, e in parentheses(text)] == ["GSOMIA:General (Security)", "1999年に改正"]
