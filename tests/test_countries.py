"""Tests for pipeline.countries: names as the white paper writes them → ISO3 / COW codes."""

import pycountry
import pytest

from pipeline.countries import Party, find_parties, is_known, prefix_partners, resolve
from pipeline.vocabulary import table

# Every partner in the 2025 edition's three KEY WORD boxes, with ISO3 and COW state number.
KEYWORD_2025_PARTNERS = (
    ("米国", "USA", "2"),
    ("オーストラリア", "AUS", "900"),
    ("英国", "GBR", "200"),
    ("カナダ", "CAN", "20"),
    ("フランス", "FRA", "220"),
    ("インド", "IND", "750"),
    ("ドイツ", "DEU", "255"),
    ("イタリア", "ITA", "325"),
    ("フィリピン", "PHL", "840"),
    ("マレーシア", "MYS", "820"),
    ("インドネシア", "IDN", "850"),
    ("ベトナム", "VNM", "816"),
    ("タイ", "THA", "800"),
    ("スウェーデン", "SWE", "380"),
    ("シンガポール", "SGP", "830"),
    ("アラブ首長国連邦 (UAE)", "ARE", "696"),
    ("モンゴル", "MNG", "712"),
)

# Variant spellings → (iso3, canonical name).
VARIANTS = (
    ("英国", "GBR", "英国"),
    ("イギリス", "GBR", "英国"),
    ("米国", "USA", "米国"),
    ("アメリカ", "USA", "米国"),
    ("アメリカ合衆国", "USA", "米国"),
    ("豪州", "AUS", "オーストラリア"),
    ("オーストラリア", "AUS", "オーストラリア"),
    ("オーストラリア連邦", "AUS", "オーストラリア"),
    ("韓国", "KOR", "韓国"),
    ("大韓民国", "KOR", "韓国"),
    ("アラブ首長国連邦", "ARE", "アラブ首長国連邦"),
    ("UAE", "ARE", "アラブ首長国連邦"),
    ("ＵＡＥ", "ARE", "アラブ首長国連邦"),
    ("アラブ首長国連邦（ＵＡＥ）", "ARE", "アラブ首長国連邦"),
    ("ニュージーランド", "NZL", "ニュージーランド"),
    ("NZ", "NZL", "ニュージーランド"),
    ("比国", "PHL", "フィリピン"),
    ("ヴェトナム", "VNM", "ベトナム"),
    ("東ティモール", "TLS", "東ティモール"),
    ("北朝鮮", "PRK", "北朝鮮"),
    ("中華人民共和国", "CHN", "中国"),
    ("ロシア連邦", "RUS", "ロシア"),
    ("台湾", "TWN", "台湾"),
    ("日本", "JPN", "日本"),
    ("  カナダ ", "CAN", "カナダ"),
    ("オース トラリア", "AUS", "オーストラリア"),  # extraction artefact: a space inside a Japanese word
)

# More COW codes, including the tricky ones: name → (iso3, cow).
COW_CODES = (
    ("ニュージーランド", "NZL", "920"),
    ("日本", "JPN", "740"),
    ("韓国", "KOR", "732"),
    ("北朝鮮", "PRK", "731"),
    ("中国", "CHN", "710"),
    ("ロシア", "RUS", "365"),
    ("台湾", "TWN", "713"),
    ("セルビア", "SRB", "345"),
    ("イエメン", "YEM", "679"),
    ("バチカン市国", "VAT", ""),
)

ORGANIZATIONS = (
    ("NATO", "NATO"),
    ("ＮＡＴＯ", "NATO"),
    ("北大西洋条約機構", "NATO"),
    ("北大西洋条約機構 (NATO)", "NATO"),
    ("EU", "EU"),
    ("欧州連合", "EU"),
    ("ASEAN", "ASEAN"),
    ("東南アジア諸国連合", "ASEAN"),
    ("国連", "UN"),
    ("国際連合", "UN"),
)

UNKNOWN_NAMES = ("ワカンダ", "グアム", "日豪", "インド太平洋", "")

# word → iso3 (or organisation canonical) of the bilateral partner, None when there is none.
BILATERAL = (
    ("日豪ACSA", "AUS"),
    ("日豪", "AUS"),
    ("日米", "USA"),
    ("日英防衛装備品・技術移転協定", "GBR"),
    ("日英", "GBR"),
    ("日比", "PHL"),
    ("日印", "IND"),
    ("日仏ACSA", "FRA"),
    ("日独", "DEU"),
    ("日伊", "ITA"),
    ("日加ACSA", "CAN"),
    ("日韓", "KOR"),
    ("日NZ", "NZL"),
    ("日ＮＺ", "NZL"),
    ("日尼", "IDN"),
    ("日越", "VNM"),
    ("日泰", "THA"),
    ("日星", "SGP"),
    ("日蒙", "MNG"),
    ("日露", "RUS"),
    ("日中間", "CHN"),
    ("日EU", "EU"),
    ("日NATO", "NATO"),
    ("日・マレーシア防衛相会談", "MYS"),
    ("日豪円滑化協定(RAA)", "AUS"),
    ("日本", None),
    ("日程", None),
    ("日比谷", None),
    ("日米韓", None),  # trilateral: see prefix_partners
    ("日インド太平洋", None),
    ("米豪", None),
    ("", None),
)

MULTILATERAL = (
    ("日米韓", ("USA", "KOR")),
    ("日米豪印", ("USA", "AUS", "IND")),
    ("日英伊", ("GBR", "ITA")),
    ("日本", ()),
)

ACSA_2025 = (
    "2025年4月現在、米国、オーストラリア、英国、カナダ、フランス、インド、ドイツとの間で締結され、"
    "イタリアとの間で署名されている。"
)

# sentence → names found, in order (as written in the text).
SENTENCES = (
    (ACSA_2025, ("米国", "オーストラリア", "英国", "カナダ", "フランス", "インド", "ドイツ", "イタリア")),
    ("自由で開かれたインド太平洋", ()),
    ("インド洋と日本海で", ()),
    ("インドネシアとの間で", ("インドネシア",)),
    ("アメリカ合衆国との間で", ("アメリカ合衆国",)),
    ("在日米軍と米軍、豪軍", ()),
    ("タイプのアメリカンとマリン", ()),
    ("中国地方と中国四国防衛局", ()),
    ("中国との間で", ("中国",)),
    ("フィリピン海軍と", ("フィリピン",)),
    ("アラブ首長国連邦 (UAE)、モンゴルとの間で", ("アラブ首長国連邦", "UAE", "モンゴル")),
    ("ＮＡＴＯおよびＥＵとの間で", ("ＮＡＴＯ", "ＥＵ")),
    ("AUKUSとの", ()),
    ("大韓民国と韓国", ("大韓民国", "韓国")),
)


@pytest.mark.parametrize(("name", "iso3", "cow"), KEYWORD_2025_PARTNERS)
def test_keyword_box_partners(name, iso3, cow):
    party = resolve(name)
    assert (party.iso3, party.cow, party.party_type, party.name) == (iso3, cow, "state", name)


@pytest.mark.parametrize(("name", "iso3", "canonical"), VARIANTS)
def test_variants(name, iso3, canonical):
    party = resolve(name)
    assert (party.iso3, party.canonical, party.party_type) == (iso3, canonical, "state")
    assert is_known(name)


@pytest.mark.parametrize(("name", "iso3", "cow"), COW_CODES)
def test_cow_codes(name, iso3, cow):
    assert (resolve(name).iso3, resolve(name).cow) == (iso3, cow)


@pytest.mark.parametrize(("name", "canonical"), ORGANIZATIONS)
def test_organizations(name, canonical):
    party = resolve(name)
    assert party == Party(name, "", "", "organization", canonical)


@pytest.mark.parametrize("name", UNKNOWN_NAMES)
def test_unknown_names_are_kept(name):
    assert resolve(name) == Party(name, "", "", "unknown", name)
    assert not is_known(name)


@pytest.mark.parametrize(("word", "expected"), BILATERAL)
def test_the_partner_of_a_bilateral_name(word, expected):
    """One partner after 「日」 (日豪ACSA → AUS); none for 日本, 日程, and for trilateral names (日米韓)."""
    partners = prefix_partners(word)
    party = partners[0] if len(partners) == 1 else None
    assert (party and (party.iso3 or party.canonical)) == expected


@pytest.mark.parametrize(("word", "expected"), MULTILATERAL)
def test_prefix_partners(word, expected):
    assert tuple(p.iso3 for p in prefix_partners(word)) == expected


def test_one_kanji_forms_resolve_only_as_whole_names():
    assert resolve("米").iso3 == "USA"
    assert resolve("豪").iso3 == "AUS"
    assert find_parties("米軍と豪軍と中央") == []


@pytest.mark.parametrize(("text", "names"), SENTENCES)
def test_find_parties(text, names):
    found = find_parties(text)
    assert tuple(p.name for _, _, p in found) == names
    assert all(text[start:end] == p.name for start, end, p in found)


def test_find_parties_offsets_and_codes():
    found = find_parties(ACSA_2025)
    assert [p.iso3 for _, _, p in found] == ["USA", "AUS", "GBR", "CAN", "FRA", "IND", "DEU", "ITA"]
    assert found[0][:2] == (ACSA_2025.index("米国"), ACSA_2025.index("米国") + 2)


def test_find_parties_offsets_refer_to_unnormalised_text():
    text = "㈱とＵＡＥ"  # ㈱ becomes 3 characters under NFKC
    assert [(s, e, p.iso3) for s, e, p in find_parties(text)] == [(2, 5, "ARE")]


def test_cow_table_is_valid():
    rows = table("cow_codes.csv")
    assert all(pycountry.countries.get(alpha_3=row["iso3"]) for row in rows)
    for column in ("iso3", "cow", "cow_abbr"):
        values = [row[column] for row in rows if row[column]]
        assert len(values) == len(set(values)), column
    assert len(rows) >= 193


def test_curated_tables_point_at_known_codes():
    states = {row["iso3"] for row in table("cow_codes.csv")}
    orgs = {row["canonical"] for row in table("organizations.csv")}
    assert {row["iso3"] for row in table("country_aliases.csv")} <= states
    assert {row["party"] for row in table("bilateral_prefixes.csv")} <= states | orgs


# COW's own conventions where its state list and the ISO list part ways (checked by hand against
# countrycode's codelist, which leaves these out): Serbia continues Yugoslavia's state 345; the Holy
# See is not COW's 327 (the Papal States, which ended in 1870).
COW_CONVENTIONS = {"SRB": ("345", "YUG"), "VAT": ("", "")}


def test_cow_codes_agree_with_the_correlates_of_war_state_list():
    """data/cow_codes.csv was typed in; countrycode's codelist (built from COW's states list) checks it."""
    from countrycode.countrycode import prepare_codelist

    codelist = prepare_codelist()
    reference = {
        iso3: ("" if number is None else str(int(number)), abbr or "")
        for iso3, number, abbr in zip(codelist["iso3c"], codelist["cown"], codelist["cowc"], strict=True)
        if iso3
    }
    ours = {row["iso3"]: (row["cow"], row["cow_abbr"]) for row in table("cow_codes.csv")}
    wrong = {
        iso3: (codes, reference.get(iso3))
        for iso3, codes in ours.items()
        if codes != COW_CONVENTIONS.get(iso3, reference.get(iso3))
    }
    assert not wrong, "cow_codes.csv differs from COW (ours, COW's):"
    missing = {iso3 for iso3, (number, _) in reference.items() if number and iso3 not in ours}
    assert not missing, "COW states with no row in cow_codes.csv"
