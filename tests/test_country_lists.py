"""Country lists (pipeline.country_lists) on real sentences of the white paper: what a reader would write.

Every paragraph below is taken from the 2025 book's text layer (tests/fixtures/corpus/real-2025-textlayer.jsonl.gz,
the physical page given; line-end spaces and ruby expansions taken out, as the layout stage does), except the
issue's OSA sentence and one 2019 sentence of the sample corpus. Rows are (subject, period, period_kind, role,
country as written, iso3), in the order the edition gives them; the last column is the review reasons.
"""

from __future__ import annotations

import pytest
from corpus_passages import is_on_page

from pipeline.country_lists import edition_rows, read_paragraph
from pipeline.extract import extract_blocks

# (id, physical page in the 2025 text layer or None, section (heading path), paragraph, rows, review reasons)
CASES = (
    # the issue's sentence (OSA, 2025 edition; not in the third of the book we have): two fiscal years, gapping-free
    (
        "osa-issue",
        None,
        "第III部 > 第3章 同志国などとの連携 > 政府安全保障能力強化支援（OSA）",
        "2023年度は、フィリピン、マレーシア、バングラデシュ、フィジーの4か国の軍に対し、…機材の供与を決定しており、2024年度は、フィリピン、インドネシア、モンゴル、ジブチに対して、…機材を供与することとした。",
        [
            ("OSA", "2023", "fiscal", "供与決定", "フィリピン", "PHL"),
            ("OSA", "2023", "fiscal", "供与決定", "マレーシア", "MYS"),
            ("OSA", "2023", "fiscal", "供与決定", "バングラデシュ", "BGD"),
            ("OSA", "2023", "fiscal", "供与決定", "フィジー", "FJI"),
            ("OSA", "2024", "fiscal", "供与決定", "フィリピン", "PHL"),
            ("OSA", "2024", "fiscal", "供与決定", "インドネシア", "IDN"),
            ("OSA", "2024", "fiscal", "供与決定", "モンゴル", "MNG"),
            ("OSA", "2024", "fiscal", "供与決定", "ジブチ", "DJI"),
        ],
        [],
    ),
    # exercise: services of countries (米海軍, 豪空軍), the name from the heading
    (
        "malabar",
        367,
        "第III部 > 第2章 日米同盟 > 日米印豪共同訓練「マラバール2024」",
        "海自は、2024年10月、ヴィシャカパトナム（インド）と同周辺海空域において米海軍、インド海軍、豪海軍および豪空軍との共同訓練を行った。",
        [
            ("マラバール2024", "2024", "calendar", "共同訓練", "米", "USA"),
            ("マラバール2024", "2024", "calendar", "共同訓練", "インド", "IND"),
            ("マラバール2024", "2024", "calendar", "共同訓練", "豪", "AUS"),
        ],
        [],
    ),
    # framework prefix (日米豪, Japan included), observers, 本演習 → the heading's exercise
    (
        "yamasakura",
        367,
        "第III部 > 第2章 日米同盟 > 日米豪共同指揮所演習「ヤマサクラ」（YS-87）",
        "2024年12月、わが国で行ったYS-87は、日米豪陸軍種による最大規模の指揮所演習である。演習では、島嶼防衛を含む各種事態を想定し、米海兵隊の参加も得て、陸自の領域横断作戦、米陸軍のMDOや米海兵隊のEABOを踏まえ、豪陸軍を加えた日米豪共同による島嶼防衛作戦を演練した。また、フィリピン、英国、カナダ、シンガポール、フランス、インドがオブザーバーとして本演習に参加し、相互の連携を強化した。",
        [
            ("日米豪", "", "", "構成", "日", "JPN"),
            ("日米豪", "", "", "構成", "米", "USA"),
            ("日米豪", "", "", "構成", "豪", "AUS"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "フィリピン", "PHL"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "英国", "GBR"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "カナダ", "CAN"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "シンガポール", "SGP"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "フランス", "FRA"),
            ("ヤマサクラ", "2024", "calendar", "オブザーバー参加", "インド", "IND"),
        ],
        [],
    ),
    # two lists under two predicates in one clause (主催, 参加), 米・インドネシア
    (
        "garuda",
        431,
        "第III部 > 第3章 同志国などとの連携 > "
        "米国インドネシア主催多国間共同訓練（実動訓練）「スーパー・ガルーダ・シールド24」",
        "陸自は、2024年8月から9月にかけて、米・インドネシア陸軍主催、オーストラリア、英国、シンガポール参加による多国間共同訓練に参加した。",
        [
            ("スーパー・ガルーダ・シールド24", "2024", "calendar", "主催", "米", "USA"),
            ("スーパー・ガルーダ・シールド24", "2024", "calendar", "主催", "インドネシア", "IDN"),
            ("スーパー・ガルーダ・シールド24", "2024", "calendar", "参加", "オーストラリア", "AUS"),
            ("スーパー・ガルーダ・シールド24", "2024", "calendar", "参加", "英国", "GBR"),
            ("スーパー・ガルーダ・シールド24", "2024", "calendar", "参加", "シンガポール", "SGP"),
        ],
        [],
    ),
    # fragment (the sentence starts on the page before); ruby カカドゥー over KAKADU24 taken out;
    # the explicit list and the prefix are one enumeration
    (
        "vanguard",
        431,
        "",
        "インド海軍と「JIMEX2024」、米・豪・韓・カナダ海軍と日米豪韓加共同訓練「パシフィック・ヴァンガード24」を行ったほか、豪海軍主催多国間共同訓練「KAKADU24」、日米印豪共同訓練「マラバール2024」といった豪海軍が主催する共同訓練に参加した。",
        [
            ("パシフィック・ヴァンガード24", "", "", "共同訓練", "米", "USA"),
            ("パシフィック・ヴァンガード24", "", "", "共同訓練", "豪", "AUS"),
            ("パシフィック・ヴァンガード24", "", "", "共同訓練", "韓", "KOR"),
            ("パシフィック・ヴァンガード24", "", "", "共同訓練", "カナダ", "CAN"),
            ("パシフィック・ヴァンガード24", "", "", "共同訓練", "日", "JPN"),
            ("マラバール2024", "", "", "共同訓練", "日", "JPN"),
            ("マラバール2024", "", "", "共同訓練", "米", "USA"),
            ("マラバール2024", "", "", "共同訓練", "印", "IND"),
            ("マラバール2024", "", "", "共同訓練", "豪", "AUS"),
        ],
        [],
    ),
    # explicit list and the prefix 日米韓 before the exercise's name
    (
        "freedom-edge",
        366,
        "第III部 > 第2章 日米同盟 > 複数領域における日米韓共同訓練「フリーダム・エッジ」",
        "自衛隊は、2024年6月と11月、米軍および韓国軍と複数領域における日米韓共同訓練「フリーダム・エッジ」を行った。",
        [
            ("フリーダム・エッジ", "2024", "calendar", "共同訓練", "米", "USA"),
            ("フリーダム・エッジ", "2024", "calendar", "共同訓練", "韓国", "KOR"),
            ("フリーダム・エッジ", "2024", "calendar", "共同訓練", "日", "JPN"),
        ],
        [],
    ),
    # two-party と-list with a predicate, 本演習 → the paragraph's 「…」 name, fiscal year carried from the paragraph
    (
        "keen-sword",
        364,
        "",
        "2024年度は、令和6年度日米共同統合演習「キーン・ソード25」を行い、わが国防衛のための日米共同対処および自衛隊の統合運用について演練・検証し共同統合運用能力の維持・向上を図った。本演習には、同志国との連携強化を図るため、豪軍とカナダ軍が参加した。",
        [
            ("キーン・ソード25", "2024", "fiscal", "参加", "豪", "AUS"),
            ("キーン・ソード25", "2024", "fiscal", "参加", "カナダ", "CAN"),
        ],
        [],
    ),
    # visit; the sentence's topic is the subject; territories (ハワイ, グアム) are not parties
    (
        "lai-visit",
        88,
        "",
        "頼総統は11月30日から一週間、台湾承認国であるマーシャル諸島、ツバル、パラオを訪問し、途中でハワイとグアムを経由していた。",
        [
            ("頼総統", "", "", "訪問", "マーシャル諸島", "MHL"),
            ("頼総統", "", "", "訪問", "ツバル", "TUV"),
            ("頼総統", "", "", "訪問", "パラオ", "PLW"),
        ],
        [],
    ),
    # footnote: わが国 in the list (Japan is a row), stated count 6 agrees, 2014年から opens a span (no period)
    (
        "psi",
        428,
        "",
        "インド太平洋地域におけるPSI訓練は、2014年からわが国、オーストラリア、ニュージーランド、韓国、シンガポールおよび米国の6か国が毎年持ち回りで主催。",
        [
            ("PSI訓練", "", "", "主催", "わが国", "JPN"),
            ("PSI訓練", "", "", "主催", "オーストラリア", "AUS"),
            ("PSI訓練", "", "", "主催", "ニュージーランド", "NZL"),
            ("PSI訓練", "", "", "主催", "韓国", "KOR"),
            ("PSI訓練", "", "", "主催", "シンガポール", "SGP"),
            ("PSI訓練", "", "", "主催", "米国", "USA"),
        ],
        [],
    ),
    # gapping (…を対象に、同年12月には…を対象に教育を行った), 同年 resolved, 本課程 → the paragraph's name
    (
        "untpp",
        424,
        "",
        "そのほか、UNTPPの一環として、工兵要員を対象とした作業工程管理課程をオンラインで開催している。本課程は、国連PKOミッションにおける工事管理、問題発生時の対処法などを教育するものであり、2024年9月、陸上自衛官5名の教官が、インドネシア、カンボジア、フィリピン、ベトナム、モンゴルの工兵要員32名を対象に、同年12月には、ケニア、タンザニア、ウガンダの工兵要員22名を対象に教育を行った。",
        [
            ("UNTPP", "2024", "calendar", "教育", "インドネシア", "IDN"),
            ("UNTPP", "2024", "calendar", "教育", "カンボジア", "KHM"),
            ("UNTPP", "2024", "calendar", "教育", "フィリピン", "PHL"),
            ("UNTPP", "2024", "calendar", "教育", "ベトナム", "VNM"),
            ("UNTPP", "2024", "calendar", "教育", "モンゴル", "MNG"),
            ("UNTPP", "2024", "calendar", "教育", "ケニア", "KEN"),
            ("UNTPP", "2024", "calendar", "教育", "タンザニア", "TZA"),
            ("UNTPP", "2024", "calendar", "教育", "ウガンダ", "UGA"),
        ],
        [],
    ),
    # observers; 2023年以降 is a span, not a period
    (
        "ewg",
        408,
        "",
        "2023年以降、ADMMプラス参加国ではないカナダ、フランス、英国がEWGの一部の活動にオブザーバー国として参加することが可能となっている。",
        [
            ("EWG", "", "", "オブザーバー参加", "カナダ", "CAN"),
            ("EWG", "", "", "オブザーバー参加", "フランス", "FRA"),
            ("EWG", "", "", "オブザーバー参加", "英国", "GBR"),
        ],
        [],
    ),
    # count before a parenthesised list (3か国（…）), 含む → members
    (
        "spdmm",
        410,
        "",
        "SPDMMは、軍を保有する太平洋島嶼国の3か国（トンガ、パプアニューギニア、フィジー）を含む7か国の国防担当大臣などが集まる、太平洋島嶼国地域の安全保障にとって重要な枠組であり、わが国は2022年からオブザーバー参加している。",
        [
            ("SPDMM", "", "", "構成", "トンガ", "TON"),
            ("SPDMM", "", "", "構成", "パプアニューギニア", "PNG"),
            ("SPDMM", "", "", "構成", "フィジー", "FJI"),
        ],
        [],
    ),
    # compact prefix glossing a name: IP4の4か国（日豪NZ韓）
    (
        "ip4",
        383,
        "",
        "また、インド太平洋地域のパートナー国として、IP4の4か国（日豪NZ韓）が初めて招待されたNATO国防相会合では、インド太平洋地域の情勢を含む地域の防衛・安全保障をめぐる情勢、NATOとIP4の今後の協力などについて議論を行いました。",
        [
            ("IP4", "", "", "構成", "日", "JPN"),
            ("IP4", "", "", "構成", "豪", "AUS"),
            ("IP4", "", "", "構成", "NZ", "NZL"),
            ("IP4", "", "", "構成", "韓", "KOR"),
        ],
        [],
    ),
    # prefix with a stated count; わが国とオーストラリアの協力 is a relation, not a list
    (
        "japan-us-australia",
        376,
        "",
        "わが国とオーストラリアの協力をより実効的なものとし、地域の平和と安定に貢献していくためには、日豪それぞれの同盟国である米国を含めた日米豪3か国による協力を積極的に推進することが重要である。",
        [
            ("日米豪", "", "", "構成", "日", "JPN"),
            ("日米豪", "", "", "構成", "米", "USA"),
            ("日米豪", "", "", "構成", "豪", "AUS"),
        ],
        [],
    ),
    # footnote: 日英伊3か国
    (
        "gcap-note",
        379,
        "",
        "2035年までに日英伊3か国により、いわゆる第5世代戦闘機を超える次期戦闘機を共同開発する事業。",
        [
            ("日英伊", "", "", "構成", "日", "JPN"),
            ("日英伊", "", "", "構成", "英", "GBR"),
            ("日英伊", "", "", "構成", "伊", "ITA"),
        ],
        [],
    ),
    # the organisation joined is the subject
    (
        "nato-accession",
        57,
        "",
        "また、欧州では、各国が国防費を増大させるのみならず、これまで中立化政策を掲げてきたフィンランドやスウェーデンがNATOに加盟するなど、ウクライナ侵略を契機として、欧州の安全保障環境は大きな転換点を迎えている。",
        [
            ("NATO", "", "", "加盟", "フィンランド", "FIN"),
            ("NATO", "", "", "加盟", "スウェーデン", "SWE"),
        ],
        [],
    ),
    # leaders (バイデン米大統領…および尹韓国大統領) are not a list; 日米韓 is
    (
        "trilateral-statement",
        386,
        "",
        "同年8月、岸田内閣総理大臣（当時）は、バイデン米大統領（当時）および尹韓国大統領（当時）と共に、これまでの日米韓協力の進展を記念する日米韓首脳共同声明を発した。",
        [
            ("日米韓", "", "", "構成", "日", "JPN"),
            ("日米韓", "", "", "構成", "米", "USA"),
            ("日米韓", "", "", "構成", "韓", "KOR"),
        ],
        [],
    ),
    # no name anywhere: the deepest heading, which names the predicate, is the subject
    (
        "air-exercise",
        433,
        "第III部 > 第3章 同志国などとの連携 > （4）欧州各国空軍などとの共同訓練",
        "空自は、2024年7月、国内においてフランス航空宇宙軍、ドイツ空軍およびスペイン空軍と共同訓練を行った。",
        [
            ("欧州各国空軍などとの共同訓練", "2024", "calendar", "共同訓練", "フランス", "FRA"),
            ("欧州各国空軍などとの共同訓練", "2024", "calendar", "共同訓練", "ドイツ", "DEU"),
            ("欧州各国空軍などとの共同訓練", "2024", "calendar", "共同訓練", "スペイン", "ESP"),
        ],
        [],
    ),
    # 2019 edition (sample corpus): 作成 is the predicate, not the 提供 inside the agreement's name
    (
        "acsa-2019",
        None,
        "",
        "続いて、カナダ及びフランスとの間でもACSAを作成し、いずれも19(令和元)年5月に国会で承認され、日仏ACSAについては同年6月に発効し、日加ACSAについては同年7月に発効した。",
        [
            ("物品役務相互提供協定", "", "", "作成", "カナダ", "CAN"),
            ("物品役務相互提供協定", "", "", "作成", "フランス", "FRA"),
        ],
        [],
    ),
    # footnote whose subject is only in the text it annotates: review, no rows
    (
        "it-coalition-note",
        390,
        "",
        "エストニア共和国、ルクセンブルク大公国、ウクライナの3か国の主導により、2023年6月に立ち上げが表明されたIT支援のための多国間枠組み。",
        [],
        ["country list without a subject (主導: エストニア共和国、ルクセンブルク大公国、ウクライナ)"],
    ),
    # the same under a part heading: the III of 第III部 is a number, not a subject
    (
        "it-coalition-under-a-part-heading",
        390,
        "第III部 防衛目標を実現するための三つのアプローチ > （5）エストニア",
        "エストニア共和国、ルクセンブルク大公国、ウクライナの3か国の主導により、2023年6月に立ち上げが表明されたIT支援のための多国間枠組み。",
        [],
        ["country list without a subject (主導: エストニア共和国、ルクセンブルク大公国、ウクライナ)"],
    ),
    # not a list: pair names (米中), a sea, one party
    (
        "not-power-balance",
        101,
        "",
        "米中の軍事的なパワーバランスの変化は、インド太平洋地域の平和と安定に影響を与えうることから、南シナ海や台湾をはじめとする同地域の米中の軍事的な動向について一層注視していく必要がある。",
        [],
        [],
    ),
    # not a list: 中露両国 is a pair name; 米国や欧州 names one party
    (
        "not-pair",
        96,
        "",
        "今後、中露両国がさらに軍事的な連携を深めていく可能性もあり、また、こうした中露両国の軍事協力の強化などの動向は、わが国を取り巻く安全保障環境に直接的な影響を与えるのみならず、米国や欧州への戦略的影響も考えられることから、懸念を持って注視する必要がある。",
        [],
        [],
    ),
    # not a list: 中国、ロシア…のように is a comparison (no predicate in its clause)
    (
        "not-comparison",
        50,
        "",
        "わが国は、中国、ロシア、朝鮮半島や欧州のように他国と陸上を中心に接している環境にはありませんが、ロシアによるウクライナ侵略や中東情勢の悪化などの事例を踏まえれば、遠く海を隔てた地域であっても、わが国の安全保障に影響を及ぼす可能性は否定できません。",
        [],
        [],
    ),
    # not a list: NATO・ロシア理事会 is a name
    (
        "not-council",
        145,
        "",
        "NATOとの関係については、NATO・ロシア理事会（NRC）の枠組みを通じ、ロシアは、一定の意思決定に参加するなど、共通の関心分野において対等なパートナーとして行動してきたが、2014年のウクライナ危機を受けて、NATOや欧州各国は、NRCの大使級会合を除き、軍事面を含むロシアとの実務協力を同年以降停止した。",
        [],
        [],
    ),
    # not a list: regions of Japan (中国四国)
    (
        "not-regions",
        239,
        "",
        "北海道、東北、北関東、南関東、近畿中部、中国四国、九州、沖縄の8局で構成",
        [],
        [],
    ),
    # not a list: 米中間, 訪台
    (
        "not-relation",
        99,
        "",
        "2022年8月にペロシ米下院議長（当時）が訪台した際には、台湾周辺で大規模な軍事演習を実施するとともに、米中間の各種協議を見合わせる対抗措置を発表するなど、米国に対し強硬な姿勢を示した。",
        [],
        [],
    ),
)


def _rows(section: str, text: str) -> tuple[list[tuple], list[str]]:
    rows, review = edition_rows([({}, found) for found in read_paragraph(text, section)], [])
    fields = ("subject", "period", "period_kind", "role", "country", "iso3")
    return [tuple(values[f] for f in fields) for _block, values in rows], [reason for _b, reason, _s in review]


@pytest.mark.parametrize(("case", "page", "section", "text", "rows", "review"), CASES, ids=[c[0] for c in CASES])
def test_real_sentences(case, page, section, text, rows, review):
    assert _rows(section, text) == (rows, review)


def test_the_issue_sentence_gives_eight_rows_in_two_fiscal_years():
    (case,) = [c for c in CASES if c[0] == "osa-issue"]
    rows, review = _rows(case[2], case[3])
    assert len(rows) == 8 and review == []
    assert {(r[1], r[2]) for r in rows} == {("2023", "fiscal"), ("2024", "fiscal")}


def test_enough_real_enumerations():
    real = [c for c in CASES if c[1] is not None]
    assert len([c for c in real if c[4]]) >= 15
    assert len([c for c in real if not c[4] and not c[5]]) >= 5  # sentences that are not country lists at all


@pytest.mark.parametrize(("case", "page", "text"), [(c[0], c[1], c[3]) for c in CASES if c[1] is not None])
def test_the_paragraphs_are_the_books(case, page, text):
    assert is_on_page(text.replace("…", ""), page)


def test_a_stated_count_that_differs_holds_the_rows_back():
    """The issue's sentence with 「3か国」 for its four countries (altered): no rows, one review item."""
    rows, review = _rows(CASES[0][2], CASES[0][3].replace("の4か国", "の3か国"))
    assert [r[1] for r in rows] == ["2024"] * 4
    assert review == [
        "stated 3か国 but the list names 4: フィリピン、マレーシア、バングラデシュ、フィジー (rows held back)"
    ]


def test_an_unknown_name_inside_a_list_is_kept_and_reviewed():
    """Footnote 12 of 第III部第4節 (p.430) writes マーシャル for the Marshall Islands (sentence shortened)."""
    text = "2024年度は、インドネシア、タイ、マーシャル、南アフリカなどと行った共同訓練に参加した。"
    rows, review = _rows("第4節 > 「パシフィック・パートナーシップ2024」", text)
    assert [(r[4], r[5]) for r in rows] == [
        ("インドネシア", "IDN"),
        ("タイ", "THA"),
        ("マーシャル", ""),
        ("南アフリカ", "ZAF"),
    ]
    assert review == ["unknown party name: マーシャル"]


def test_an_unknown_predicate_is_kept_as_written_and_reviewed():
    """A constructed sentence: 調整 is not in data/list_roles.csv."""
    rows, review = _rows("", "2025年4月、防衛省は、英国、イタリアと「GCAP」の作業分担を調整した。")
    assert rows == [
        ("GCAP", "2025", "calendar", "調整", "英国", "GBR"),
        ("GCAP", "2025", "calendar", "調整", "イタリア", "ITA"),
    ]
    assert review == ["predicate not in list_roles.csv: 調整"]


def _block(kind: str, text: str, page: int, **extra) -> dict:
    block = {"edition": "2025", "file": "R07zenpen.pdf", "page": page, "printed_page": str(page - 10)}
    return block | {"kind": kind, "text": text, "level": 0, "label": "", "title": ""} | extra


KEYWORD_BOX = _block(
    "box",
    "締約国間の防衛装備品および技術の移転などに関する一般的な法的枠組みを設定する国際約束。\n"
    "2025年4月現在、米国、英国、オーストラリアとの間で締結されている。",
    370,
    label="KEY WORD",
    title="防衛装備品・技術移転協定",
)


def test_a_key_word_list_is_not_reported_twice():
    """The body repeats the box's list (p.492, shortened here to the box's three partners): agreements only."""
    body = _block(
        "body", "2025年4月現在、わが国は、防衛装備品・技術移転協定を、米国、英国、オーストラリアと締結している。", 492
    )
    tables = extract_blocks("2025", [KEYWORD_BOX, body], [])
    assert len(tables.rows["agreements"]) == 3
    assert tables.rows["country_lists"] == []


def test_a_body_list_that_differs_from_the_key_word_list_is_reported():
    body = _block(
        "body",
        "2025年4月現在、わが国は、防衛装備品・技術移転協定を、米国、英国、オーストラリア、モンゴルと締結している。",
        492,
    )
    rows = extract_blocks("2025", [KEYWORD_BOX, body], []).rows["country_lists"]
    assert [(r["subject"], r["period"], r["role"], r["iso3"], r["page"], r["printed_page"]) for r in rows] == [
        ("防衛装備品・技術移転協定", "2025", "締結", iso3, "492", "482") for iso3 in ("USA", "GBR", "AUS", "MNG")
    ]


def test_the_same_party_of_the_same_list_is_kept_once_per_edition():
    """The digest repeats the chapters: the first place in reading order is kept."""
    text = "海自は、2024年10月、米海軍、インド海軍および豪海軍と日米印豪共同訓練「マラバール2024」を行った。"
    tables = extract_blocks("2025", [_block("body", text, 40), _block("body", text, 410)], [])
    rows = tables.rows["country_lists"]
    assert sorted((r["iso3"], r["page"]) for r in rows) == [("AUS", "40"), ("IND", "40"), ("JPN", "40"), ("USA", "40")]
