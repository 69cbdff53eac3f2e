"""Who the other side is (pipeline.parties): 「…との間で」, 「AとBの間で」, 日X words of context, subjects.

Expectations written for unidic-lite 1.0.8 (subjects are read on fugashi tokens).
"""

from __future__ import annotations

import pytest

from pipeline.nlp import make_doc
from pipeline.parties import JAPAN, clause_partners, context_partners, side, subjects

# (clause, partner iso3s (organisations by name), names two foreign sides)
CLAUSE_CASES = (
    ("英国との間で", ["GBR"], False),
    ("オーストラリアと英国との間で", ["AUS", "GBR"], False),
    ("英国やフランスとの間で", ["GBR", "FRA"], False),
    ("米国以外にも英国及びオーストラリアとの間で", ["GBR", "AUS"], False),
    ("日本とオーストラリアとの間で", ["AUS"], False),
    ("スウェーデンとは、", ["SWE"], False),
    ("ジブチ政府との間で", ["DJI"], False),
    ("防衛省とオーストラリア国防省との間で", ["AUS"], False),
    ("防衛省と米国防省の間で署名した", ["USA"], False),
    ("NATOとの間で", ["NATO"], False),
    ("駐日米国大使との間で", [], False),
    ("「包括的戦略的パートナーシップ条約」とは、", [], False),
    ("基礎となるとの見解を共有した", [], False),
    ("イスラエルとパレスチナの間で", [], True),
    ("米露間の核戦力については", [], True),
)

# (clause, strict partners): a paragraph's partner is read only from 「との間」 and 「とは、」
STRICT_CASES = (
    ("英国との間では、", ["GBR"]),
    ("ロシアとの関係を最重視する", []),
    ("インドとの防衛装備・技術協力は", []),
)

# (sentence, the partners of its 日X words, skipped spans of agreement names)
CONTEXT_CASES = (
    ("2017年、日米両政府は、軍属補足協定への署名を行い", ["USA"]),
    ("2015年の日印首脳会談において", ["IND"]),
    ("日米間においては、2023年12月", ["USA"]),
    ("日韓の協力をさらに進めるべく", ["KOR"]),
    ("第2回日インドネシア「2+2」において", ["IDN"]),
    ("日英伊3か国による共同開発", ["GBR", "ITA"]),
    ("日米同盟を基軸として、日豪の協力", ["AUS"]),  # 同盟 is no word of context
    ("日米両政府は、日豪「2+2」において", []),  # two partner sets: none
    ("日中は気温が高い", []),
)

# (sentence, foreign subjects, partners sharing the subject with Japan's side)
SUBJECT_CASES = (
    ("北朝鮮は、ロシアとの間で条約に署名した。", ["PRK"], []),
    ("2019年8月に米国は脱退し", ["USA"], []),
    ("在韓米軍の駐留経費の一部を韓国政府が負担する", ["KOR"], []),
    ("第11次防衛費分担特別協定について米韓が合意に至った。", ["USA", "KOR"], []),
    ("防衛省と英国防省は、アレンジメントに署名した。", [], ["GBR"]),
    ("日米両政府は、協定に署名した。", [], []),
    ("英国との間では、協定に署名した。", [], []),
    ("3か国は条約に署名した。", [], []),
)

SIDE_CASES = (
    ("英国防省", "GBR"),
    ("オーストラリア国防省", "AUS"),
    ("韓国政府", "KOR"),
    ("ロシア側", "RUS"),
    ("米", "USA"),
    ("わが国", "JPN"),
    ("防衛省", "JPN"),
    ("日本", "JPN"),
    ("駐日米国大使", None),
)


def _codes(parties):
    return [p.iso3 or p.canonical for p in parties]


@pytest.mark.parametrize(("clause", "partners", "foreign"), CLAUSE_CASES)
def test_clause_partners(clause, partners, foreign):
    got, got_foreign = clause_partners(clause)
    assert (_codes(got), got_foreign) == (partners, foreign)


@pytest.mark.parametrize(("clause", "partners"), STRICT_CASES)
def test_strict_partners(clause, partners):
    assert _codes(clause_partners(clause, strict=True)[0]) == partners


@pytest.mark.parametrize(("sentence", "partners"), CONTEXT_CASES)
def test_context_partners(sentence, partners):
    assert _codes(context_partners(sentence)) == partners


@pytest.mark.parametrize(("sentence", "foreign", "partners"), SUBJECT_CASES)
def test_subjects(sentence, foreign, partners):
    got_foreign, got_partners = subjects(make_doc(sentence))
    assert (_codes(got_foreign), _codes(got_partners)) == (foreign, partners)


@pytest.mark.parametrize(("word", "iso3"), SIDE_CASES)
def test_side(word, iso3):
    party = side(word)
    assert (party.iso3 if party else None) == iso3
    if iso3 == "JPN":
        assert party is JAPAN
