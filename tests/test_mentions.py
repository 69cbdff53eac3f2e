"""Mentions of parties (pipeline.mentions) on real sentences of the 2025 book, and the counts by chapter.

The sentences are taken from the 2025 text layer (tests/fixtures/corpus/real-2025-textlayer.jsonl.gz, physical
page given; line-end spaces and ruby expansions taken out); the two with page None are phrases the issue names.
Expected: mentions per party (canonical name); a party that is not named is absent.
"""

from __future__ import annotations

import pytest
from corpus_passages import is_on_page
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_blocks
from pipeline.mentions import NAME_MARK, _patterns, count_chapters, count_parties, find_mentions
from pipeline.scanning import matches
from pipeline.vocabulary import table

# (id, physical page or None, text, mentions per party)
MENTIONS = (
    # 中国地方 and 中国四国防衛局 are regions of Japan; インド太平洋 is a region (the cases)
    ("chugoku-region", None, "中国地方や中国四国防衛局の管内で災害派遣を行った。", {}),
    ("regions-of-japan", 239, "北海道、東北、北関東、南関東、近畿中部、中国四国、九州、沖縄の8局で構成", {}),
    (
        "indo-pacific",
        31,
        "わが国を含むインド太平洋地域におけるロシアの軍事的動向は、中国との戦略的な連携と相まって安全保障上の強い懸念となっている。",
        {"ロシア": 1, "中国": 1},
    ),
    (
        "us-forces-japan",
        3,
        "私も、ヘグセス米国防長官との間で防衛相会談を重ね、日米それぞれの指揮・統制枠組みの向上の一環として、自衛隊の統合作戦司令部（JJOC）の設立と歩調を合わせる形で在日米軍の統合軍司令部へのアップグレードが開始されたほか、南西地域における日米の共同プレゼンスの拡大や共同生産・開",
        {"米国": 4, "日本": 3},
    ),
    (
        "pair-us-china",
        31,
        "中国の国力伸長によるパワーバランスの変化や種々の懸案などにより、近年、米中の政治・経済・軍事にわたる競争が一層顕在化している。",
        {"中国": 2, "米国": 1},
    ),
    (
        "pair-russia-dprk",
        50,
        "ウクライナ侵略における北朝鮮製の弾道ミサイルを含む武器・弾薬の調達およびそのウクライナに対する使用、さらには北朝鮮によるロシアへの兵士の派遣といった露朝軍事協力の進展が明らかになりました。",
        {"北朝鮮": 3, "ウクライナ": 2, "ロシア": 2},
    ),
    (
        "us-forces",
        99,
        "また、2023年2月には米国本土上空で中国の偵察気球が探知され、米軍が撃墜した。",
        {"米国": 2, "中国": 1},
    ),
    (
        "visit-china",
        99,
        "本件について米国は、明白な主権侵害であるとともに、国際法違反である旨を中国に伝達し、同月に予定していたブリンケン国務長官（当時）の訪中を延期した。",
        {"中国": 2, "米国": 1},
    ),
    (
        "south-china-sea",
        101,
        "一方、中国は、米国が南シナ海の平和と安定に対する最大の脅威であると反発を示し、対立を深めている。",
        {"中国": 1, "米国": 1},
    ),
    (
        "korean-peninsula",
        108,
        "朝鮮半島では、半世紀以上にわたり同一民族の南北分断状態が続き、現在も、非武装地帯（DMZ）を挟んで150万人程度の地上軍が厳しく対峙している。",
        {},
    ),
    (
        "us-dollars",
        106,
        "2024年度の中国の公表国防費は約1兆6,655億4,000万元であり、台湾中央銀行が発表した為替レートで米ドル換算して比較した場合、台湾の約17倍となっている。",
        {"台湾": 2, "中国": 1},
    ),
    (
        "inverse-proportion",
        143,
        "特に中国については、2014年のウクライナ危機以降、西側諸国との対立の深まりと反比例するかのように連携を強化する動きがみられ、2022年2月のウクライナ侵略以降も顕著となっている。",
        {"ウクライナ": 2, "中国": 1},
    ),
    (
        "median-line",
        87,
        "2013年6月以降、東シナ海の日中中間線の中国側において、東シナ海の資源開発に関する「2008年合意」以前に設置した4基に加え、新たに海洋プラットフォームの建設作業などを進めていることが確認されており、中国側が一方的な開発を進めていることに対しては、わが国から繰り返し抗議をすると同時に、作業の中止などを求めている。",
        {"中国": 3, "日本": 1},
    ),
    (
        "visiting-japan",
        384,
        "2025年4月、中谷防衛大臣は訪日中のルッテ事務総長と会談を行い、防衛省として「NATO対ウクライナ安全保障支援・訓練組織（NSATU）」への参加に向けて調整していく旨伝達し、ルッテ事務総長から歓迎の意が示され、今後もウクライナ支援を含め、協力を継続していくことを確認した。",
        {"ウクライナ": 2, "NATO": 1},
    ),
    (
        "short-names-list",
        431,
        "インド海軍と「JIMEX2024」、米・豪・韓・カナダ海軍と日米豪韓加共同訓練「パシフィック・ヴァンガード24」を行ったほか、豪海軍主催多国間共同訓練「KAKADU24」、日米印豪共同訓練「マラバール2024」といった豪海軍が主催する共同訓練に参加した。",
        {"オーストラリア": 5, "米国": 3, "インド": 2, "カナダ": 2, "日本": 2, "韓国": 2},
    ),
    (
        "ip4",
        383,
        "2024年10月、中谷防衛大臣は、ブリュッセルで開催されたNATO国防相会合にIP4（日豪韓ニュージーランド）として初めて招待され、インド太平洋地域をテーマとしたセッションに参加した。",
        {"NATO": 1, "オーストラリア": 1, "ニュージーランド": 1, "日本": 1, "韓国": 1},
    ),
    (
        "prefixes",
        385,
        "同月、中嶋防衛審議官（当時）は、韓国を訪問し、金善鎬国防部次官との間で日韓防衛次官級協議を実施し、引き続き、日韓・日米韓防衛協力を強化していくことで一致した。",
        {"韓国": 4, "日本": 3, "米国": 1},
    ),
    (
        "participants",
        392,
        "防衛省は、米国防省主催のウクライナ防衛コンタクトグループに定期的に参加し、ウクライナへの支援に関する情報共有など、参加国との連携を図っている。",
        {"ウクライナ": 2, "米国": 1},
    ),
)


@pytest.mark.parametrize(("case", "page", "text", "expected"), MENTIONS, ids=[m[0] for m in MENTIONS])
def test_real_sentences(case, page, text, expected):
    counts = count_parties(find_mentions(text))
    assert {party.canonical: n for party, n in counts.items()} == expected


@pytest.mark.parametrize(("case", "page", "text"), [(m[0], m[1], m[2]) for m in MENTIONS if m[1] is not None])
def test_the_sentences_are_the_books(case, page, text):
    assert is_on_page(text, page)


def test_a_mention_carries_codes_and_the_name_as_written():
    (pair,) = find_mentions("米中の")
    assert [(p.name, p.iso3, p.cow, p.canonical) for p in pair.parties] == [
        ("米", "USA", "2", "米国"),
        ("中", "CHN", "710", "中国"),
    ]


RULES = table("mention_rules.csv")


@pytest.mark.parametrize("row", [r for r in RULES if r["rule"] in ("lead", "head")], ids=lambda r: r["form"])
def test_each_lead_and_head_word_counts_its_example(row):
    """The first word of each example in data/mention_rules.csv is read with that lead or head word."""
    example = row["example"].split()[0]
    found = [m for m in find_mentions(example) if m.lead == row["form"] or m.head == row["form"]]
    assert found, example


@pytest.mark.parametrize("row", [r for r in RULES if r["rule"] == "not_a_mention"], ids=lambda r: r["form"])
def test_no_mention_inside_a_not_a_mention_form(row):
    for example in row["example"].split():
        start = example.index(row["form"])
        spans = [(a, b) for m in find_mentions(example) for a, b in m.spans]
        assert not [(a, b) for a, b in spans if a < start + len(row["form"]) and start < b], example


@pytest.mark.parametrize("row", [r for r in RULES if r["rule"] == "short"], ids=lambda r: r["form"])
def test_each_short_name_is_read_in_its_first_example(row):
    example = row["example"].split()[0]
    assert any(row["form"] in [p.name for p in m.parties] for m in find_mentions(example)), example


# The characters of the lead, head and short forms, a full name's mark, and characters around them.
RUN_ALPHABET = "".join(sorted({c for r in RULES if r["rule"] != "not_a_mention" for c in r["form"]}))
RUN_ALPHABET += NAME_MARK + "・、の人参加南0"


@settings(max_examples=500)
@given(st.text(alphabet=RUN_ALPHABET, max_size=30))
def test_runs_are_read_where_they_may_start(text):
    """find_mentions tries the pattern of runs only at the characters a run starts with: it must find what the
    pattern finds everywhere."""
    _, run, starts = _patterns()
    assert [m.span() for m in matches(run, starts, text)] == [m.span() for m in run.finditer(text)]


def _block(kind, text, page, level=0, **extra):
    block = {"edition": "2025", "file": "R07zenpen.pdf", "page": page, "printed_page": str(page - 10)}
    return block | {"kind": kind, "text": text, "level": level, "label": "", "title": ""} | extra


BLOCKS = [
    _block("heading", "第I部 わが国を取り巻く安全保障環境", 30, level=1),
    _block("heading", "第3章 諸外国の防衛政策など", 61, level=2),
    _block("header", "第3章 諸外国の防衛政策など 米国 中国", 61),
    _block("heading", "第1節 米国", 61, level=3),
    _block("body", "米中の政治・経済・軍事にわたる競争が一層顕在化している。", 61),
    _block("footer", "51 令和7年版 防衛白書", 61),
    _block("heading", "第2節 中国", 70, level=3),
    _block(
        "box", "中国は、台湾は中国の一部であると主張している。", 71, label="解説", title="台湾をめぐる中国の軍事動向"
    ),
    _block("heading", "第III部 防衛目標を実現するための3つのアプローチ", 300, level=1),
    _block("body", "日米豪印の協力を推進する。", 371),
]


def test_chapters_are_the_level_1_and_2_headings_and_exclude_running_heads():
    chapters = count_chapters(BLOCKS, [find_mentions(b["text"]) for b in BLOCKS])
    summary = [
        (c.index, c.name, c.first_block["page"], c.chars, {p.canonical: n for p, n in c.counts.items()})
        for c in chapters
    ]
    assert summary == [
        (1, "第I部 わが国を取り巻く安全保障環境", 30, 17, {}),
        (
            2,
            "第I部 わが国を取り巻く安全保障環境 > 第3章 諸外国の防衛政策など",
            61,
            13 + 5 + 28 + 5 + 23 + 13,  # headings, body, box text and title; not the running head and foot
            {"米国": 2, "中国": 5, "台湾": 2},  # the level-3 headings count
        ),
        (
            3,
            "第III部 防衛目標を実現するための3つのアプローチ",
            300,
            25 + 13,
            {"日本": 1, "米国": 1, "オーストラリア": 1, "インド": 1},
        ),
    ]


def test_extract_writes_one_row_per_chapter_and_party():
    rows = extract_blocks("2025", BLOCKS, []).rows["country_mentions"]
    assert [(r["chapter_index"], r["party"], r["iso3"], r["mentions"], r["page"], r["printed_page"]) for r in rows] == [
        ("2", "中国", "CHN", "5", "61", "51"),
        ("2", "台湾", "TWN", "2", "61", "51"),
        ("2", "米国", "USA", "2", "61", "51"),
        ("3", "インド", "IND", "1", "300", "290"),
        ("3", "オーストラリア", "AUS", "1", "300", "290"),
        ("3", "日本", "JPN", "1", "300", "290"),
        ("3", "米国", "USA", "1", "300", "290"),
    ]
