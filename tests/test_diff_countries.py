"""The diff of the country tables: country_lists row by row and as recurring lists, country_mentions as
each edition's shares (mention_shares), the parties whose share moved most, and the share chart.

Editions are built by hand (the published CSVs the diff reads, as in test_diff.py), so each rule is seen alone.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import read_rows
from test_diff import make_output, parse

from pipeline import schema
from pipeline.diff import diff_editions, recurring, shares
from pipeline.diff.compare import compare, entities
from pipeline.formats import typed
from pipeline.schema import Comparison

STATE = {"party_type": "state"}
PARTIES = {  # as written in a list → (iso3, cow)
    "日": ("JPN", "740"), "米": ("USA", "2"), "印": ("IND", "750"), "豪": ("AUS", "900"),
    "韓": ("KOR", "732"), "カナダ": ("CAN", "20"), "フィリピン": ("PHL", "840"), "マレーシア": ("MYS", "820"),
    "バングラデシュ": ("BGD", "771"), "フィジー": ("FJI", "950"), "インドネシア": ("IDN", "850"),
    "モンゴル": ("MNG", "712"), "ジブチ": ("DJI", "522"), "トンガ": ("TON", "955"),
    "パプアニューギニア": ("PNG", "910"), "ニュージーランド": ("NZL", "920"), "英国": ("GBR", "200"),
}  # fmt: skip


def listed(subject: str, role: str, names: str, period: str = "", kind: str = "", page: int = 1) -> list[dict]:
    """The country_lists rows of one list: ``names`` separated by spaces."""
    return [
        {"subject": subject, "period": period, "period_kind": kind, "role": role, "country": name,
         "iso3": PARTIES[name][0], "cow": PARTIES[name][1], "page": str(page)} | STATE
        for name in names.split()
    ]  # fmt: skip


def frame(editions: dict[str, list[dict]]) -> pd.DataFrame:
    """country_lists of several editions, typed as the diff reads it."""
    rows = [{"edition": year, "file": f"R{int(year) - 2018:02d}zenpen.pdf", "printed_page": ""} | row
            for year, of_year in editions.items() for row in of_year]  # fmt: skip
    spec = schema.table("country_lists")
    return typed(pd.DataFrame([{name: row.get(name, "") for name in spec.columns} for row in rows]), spec)


# --- recurring lists: the name and year of a subject ----------------------------------------------------------

SUBJECTS = (
    ("マラバール2024", "2025", ("マラバール", 2024)),
    ("RIMPAC2024", "2025", ("RIMPAC", 2024)),
    ("コープ・ノース25", "2025", ("コープ・ノース", 2025)),  # two digits near the edition: a year
    ("パシフィック・ヴァンガード 24", "2025", ("パシフィック・ヴァンガード", 2024)),
    ("コープ・ノース99", "2025", ("コープ・ノース", None)),  # 2099 is no year of the 2025 edition
    ("YS-87", "2025", ("YS", None)),  # the 87th ヤマサクラ: a number, not a year
    ("カマンダグ8", "2025", ("カマンダグ", None)),
    ("IP4", "2025", ("IP4", None)),  # a number after ASCII letters is part of the name
    ("G7", "2025", ("G7", None)),
    ("日米豪", "2025", ("日米豪", None)),
    ("OSA", "2025", ("OSA", None)),
    ("2+2", "2025", ("2+2", None)),
)


@pytest.mark.parametrize(("subject", "edition", "expected"), SUBJECTS)
def test_a_subject_is_a_name_and_maybe_a_year(subject, edition, expected):
    assert recurring.split_subject(subject, edition) == expected


# --- recurring lists: new and dropped members ----------------------------------------------------------------

# (id, the 2024 edition's lists, the 2025 edition's, expected: [(name, role, before, after, added, dropped)]
# where before/after are (subject, period shown, edition) and added/dropped are iso3 codes)
RECURRING = (
    (
        "a member added to a yearly exercise",
        listed("マラバール2023", "共同訓練", "日 米 印 豪"),
        listed("マラバール2024", "共同訓練", "日 米 印 豪 カナダ", "2024", "calendar"),
        [("マラバール", "共同訓練", ("マラバール2023", "", "2024"), ("マラバール2024", "", "2025"), ["CAN"], [])],
    ),
    (
        "a biennial exercise is compared with the one before",
        listed("RIMPAC2022", "参加", "米 豪 韓 英国"),
        listed("RIMPAC2024", "参加", "米 豪 韓"),
        [("RIMPAC", "参加", ("RIMPAC2022", "", "2024"), ("RIMPAC2024", "", "2025"), [], ["GBR"])],
    ),
    (
        "two fiscal years of one edition (the issue's OSA sentence)",
        [],
        listed("OSA", "供与決定", "フィリピン マレーシア バングラデシュ フィジー", "2023", "fiscal")
        + listed("OSA", "供与決定", "フィリピン インドネシア モンゴル ジブチ", "2024", "fiscal"),
        [
            (
                "OSA",
                "供与決定",
                ("OSA", "FY2023", "2025"),
                ("OSA", "FY2024", "2025"),
                ["DJI", "IDN", "MNG"],
                ["BGD", "FJI", "MYS"],
            ),
        ],  # fmt: skip
    ),
    (
        "a period the old edition gave is not compared again",
        listed("OSA", "供与決定", "フィリピン マレーシア", "2023", "fiscal")
        + listed("OSA", "供与決定", "フィリピン", "2022", "fiscal"),
        listed("OSA", "供与決定", "フィリピン マレーシア", "2023", "fiscal")
        + listed("OSA", "供与決定", "フィリピン ジブチ", "2024", "fiscal"),
        [("OSA", "供与決定", ("OSA", "FY2023", "2025"), ("OSA", "FY2024", "2025"), ["DJI"], ["MYS"])],
    ),
    (
        "a framework without a period: edition against edition",
        listed("SPDMM", "構成", "トンガ パプアニューギニア"),
        listed("SPDMM", "構成", "トンガ パプアニューギニア フィジー"),
        [("SPDMM", "構成", ("SPDMM", "", "2024"), ("SPDMM", "", "2025"), ["FJI"], [])],
    ),
    (
        "a compact framework written in another order is the same list",
        listed("日米豪印", "構成", "日 米 豪 印"),
        listed("日米印豪", "構成", "日 米 印 豪"),
        [],
    ),
    ("the same members: nothing", listed("IP4", "構成", "日 豪 韓"), listed("IP4", "構成", "日 豪 韓"), []),
    ("a list seen once is not recurring", [], listed("ヤマサクラ", "オブザーバー参加", "フィリピン 英国", "2024"), []),
    (
        "another role is another list",
        listed("マラバール2023", "共同訓練", "日 米 印"),
        listed("マラバール2024", "オブザーバー参加", "フィリピン 英国"),
        [],
    ),
    (
        "a fiscal year does not follow a calendar year",
        listed("OSA", "供与決定", "フィリピン", "2023", "fiscal"),
        listed("OSA", "供与決定", "モンゴル ジブチ", "2024", "calendar"),
        [],
    ),
)


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in RECURRING], ids=[c[0] for c in RECURRING])
def test_new_and_dropped_members_of_recurring_lists(old, new, expected):
    lists = recurring.comparable(frame({"2024": old, "2025": new}))
    got = [
        (
            r["name"], r["role"],
            (r["before"].subject, r["before"].period, r["before"].edition),
            (r["after"].subject, r["after"].period, r["after"].edition),
            [row["iso3"] for row in r["added"]], [row["iso3"] for row in r["dropped"]],
        )
        for r in recurring.member_changes(lists, "2024", "2025")
    ]  # fmt: skip
    assert got == expected


def test_compact_frameworks_take_one_spelling_over_all_editions():
    lists = frame(
        {
            "2023": listed("日米豪印", "構成", "日 米 豪 印"),
            "2024": listed("日米印豪", "構成", "日 米 印 豪") + listed("日米豪", "構成", "日 米 豪"),
            "2025": listed("日米豪印", "共同訓練", "日 米 豪 印") + listed("IP4", "構成", "日 豪 韓"),
        }
    )
    got = recurring.comparable(lists)
    assert list(got["subject"]) == ["日米印豪"] * 8 + ["日米豪"] * 3 + ["日米印豪"] * 4 + ["IP4"] * 3
    assert list(lists["subject"])[:4] == ["日米豪印"] * 4  # the table read is left as it was


# --- mention shares ---------------------------------------------------------------------------------------------


def mentioned(chapter: int, party: str, iso3: str, count: int, page: int = 1, kind: str = "state") -> dict:
    return {"chapter_index": str(chapter), "chapter": f"第{chapter}章", "party": party, "iso3": iso3,
            "party_type": kind, "mentions": str(count), "chars": "1000", "page": str(page)}  # fmt: skip


def test_shares_sum_the_chapters_and_leave_japan_out():
    rows = [
        {"edition": "2025", "file": "R07zenpen.pdf", "printed_page": ""} | row
        for row in (
            mentioned(1, "中国", "CHN", 3, page=10),
            mentioned(1, "日本", "JPN", 40, page=10),
            mentioned(2, "中国", "CHN", 3, page=30),
            mentioned(2, "米国", "USA", 6, page=30),
            mentioned(3, "NATO", "", 2, page=50, kind="organization"),
        )
    ]
    spec = schema.table("country_mentions")
    got = shares.mention_shares(pd.DataFrame([{name: row.get(name, "") for name in spec.columns} for row in rows]))
    assert list(got.columns) == schema.table(shares.SHARES).columns
    assert [
        (r["party"], r["mentions"], r["chapters"], r["edition_mentions"], r["share_percent"], r["rank"], r["page"])
        for r in got.to_dict("records")
    ] == [
        ("中国", "6", "2", "14", "42.86", "1", "10"),
        ("米国", "6", "1", "14", "42.86", "1", "30"),  # a tie shares the rank
        ("NATO", "2", "1", "14", "14.29", "3", "50"),
    ]


# (id, old shares, new shares, expected changed keys in rank order) with the rule: largest 2, minimum 0.5
MOVES = (
    ("the largest move first", {"中国": 30.0, "米国": 50.0, "露": 20.0}, {"中国": 40.0, "米国": 45.0, "露": 15.0},
     ["中国", "米国"]),
    ("ties by name", {"A": 10.0, "B": 10.0, "C": 10.0}, {"A": 11.0, "B": 9.0, "C": 10.2}, ["A", "B"]),
    ("a move below the minimum is not one", {"A": 10.0, "B": 10.0}, {"A": 10.49, "B": 9.5}, ["B"]),
    ("exactly the minimum is one (no float rounding)", {"A": 12.35}, {"A": 12.85}, ["A"]),
    ("no move", {"A": 10.0}, {"A": 10.0}, []),
)  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in MOVES], ids=[case[0] for case in MOVES])
def test_the_parties_whose_share_moved_most(old, new, expected):
    rule = Comparison(key=("party",), fields=("share_percent",), shows="mentions", all_values=(), largest=2,
                      minimum=0.5)  # fmt: skip

    def rows(edition, values):
        return pd.DataFrame(
            [
                {
                    "edition": edition,
                    "party": party,
                    "share_percent": share,
                    "mentions": 1,
                    "file": "a.pdf",
                    "page": 1,
                    "printed_page": "",
                }
                for party, share in values.items()
            ]  # fmt: skip
        )

    both = pd.concat([rows("2024", old), rows("2025", new)])
    changes = compare(shares.SHARES, rule, entities(both, "2024", ("party",)), entities(both, "2025", ("party",)))
    moved = sorted((c for c in changes if c["change"] == "changed"), key=lambda c: c["_rank"])
    assert [c["key"] for c in moved] == expected
    assert [c["_rank"] for c in moved] == list(range(1, len(expected) + 1))


def test_the_schema_rule_of_mention_shares_reports_the_largest_moves():
    (rule,) = schema.table(shares.SHARES).comparisons
    assert (rule.key, rule.fields, rule.shows, rule.largest, rule.minimum) == (
        ("party",), ("share_percent",), "mentions", 5, 0.5,
    )  # fmt: skip


# --- the chart ---------------------------------------------------------------------------------------------------


def share_rows(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """mention_shares rows: {edition: {party: share}} (iso3 = the party's first three letters, upper case)."""
    return pd.DataFrame(
        [
            {"edition": edition, "party": party, "iso3": party[:3].upper(), "share_percent": f"{share:.2f}"}
            for edition, of_edition in values.items()
            for party, share in of_edition.items()
        ]  # fmt: skip
    )


CHART_DATA = {  # twelve parties; party i has the mean share (31 - i) / 2
    "2023": {f"party{i:02d}": 30.0 - 2 * i for i in range(12)},
    "2025": {f"party{i:02d}": 1.0 + i for i in range(12)},
    "2024": {},  # an edition naming no party: a gap, not a zero
}


def test_the_chart_shows_the_ten_parties_of_highest_mean_share():
    series = shares.share_series(share_rows({"2023": {"a": 50, "b": 10}, "2025": {"b": 40, "c": 60}}), ["2023", "2025"])
    assert series == {"a": [50.0, 0.0], "b": [10.0, 40.0], "c": [0.0, 60.0]}
    assert shares.top_parties(series, 2) == ["c", "a"]  # means 30, 25, 25: a before b by name
    wide = shares.share_series(share_rows(CHART_DATA), ["2023", "2024", "2025"])
    assert all(pd.isna(values[1]) for values in wide.values())
    assert shares.top_parties(wide) == [f"party{i:02d}" for i in range(10)]


def test_the_chart_is_deterministic_and_follows_its_data():
    editions = ["2023", "2024", "2025"]
    first = shares.draw_chart(share_rows(CHART_DATA), editions)
    again = shares.draw_chart(share_rows(CHART_DATA), editions)
    assert first == again
    assert first.png.startswith(b"\x89PNG") and first.svg.count(b"<svg") == 1
    moved = {**CHART_DATA, "2025": {**CHART_DATA["2025"], "party00": 40.0}}
    other = shares.draw_chart(share_rows(moved), editions)
    assert other.png != first.png and other.svg != first.svg


def test_the_chart_names_parties_in_japanese_with_the_bundled_font():
    """Every text of the chart is drawn with the report's font, by file (no ASCII stand-ins for names)."""
    from pipeline.diff import charts

    rows = share_rows({"2024": {"中国": 60.0, "NATO": 40.0}, "2025": {"中国": 50.0, "NATO": 30.0, "国際機関": 20.0}})
    figure = charts.figure(lambda f: shares.paint_chart(f, [(p, [1.0, 2.0]) for p in ("中国", "国際機関")],
                                                        ["2024", "2025"]), 6, 3)  # fmt: skip
    texts = {t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()}
    assert {"中国", "国際機関"} <= texts
    assert shares.draw_chart(rows, ["2024", "2025"]).png.startswith(b"\x89PNG")


# --- the whole diff: changes.csv and both reports -------------------------------------------------------------


def chapter(party: str, iso3: str, count: int, index: int = 1) -> dict:
    return mentioned(index, party, iso3, count)


EDITIONS = {
    "2024": {
        "country_lists": listed("マラバール2023", "共同訓練", "日 米 印 豪", page=300)
        + listed("日米豪印", "構成", "日 米 豪 印", page=301),
        "country_mentions": [chapter("中国", "CHN", 20), chapter("米国", "USA", 60), chapter("ロシア", "RUS", 20),
                             chapter("日本", "JPN", 90)],
    },
    "2025": {
        "country_lists": listed("マラバール2024", "共同訓練", "日 米 印 豪 カナダ", page=310)
        + listed("日米印豪", "構成", "日 米 印 豪", page=311),
        "country_mentions": [chapter("中国", "CHN", 45), chapter("米国", "USA", 50), chapter("ウクライナ", "UKR", 5),
                             chapter("日本", "JPN", 300, index=2)],
        "review": [{"table": "country_lists", "reason": "country list without a subject (主導: エストニア共和国、…)",
                    "text": "エストニア共和国、ルクセンブルク大公国の主導により…", "page": "77"}],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def country_diff(tmp_path_factory):
    output = make_output(tmp_path_factory.mktemp("countries"), EDITIONS)
    diff_editions(output)
    return output, output / "diff" / "2024-2025"


def test_changes_of_the_country_tables(country_diff):
    _, pair = country_diff
    got = [(r["table"], r["key"], r["field"], r["before"], r["after"], r["change"])
           for r in read_rows(pair / "changes.csv") if r["table"] in ("country_lists", "mention_shares")]  # fmt: skip
    assert got == [
        ("country_lists", "マラバール2023 /  / 共同訓練 / AUS", "country", "豪", "", "removed"),
        ("country_lists", "マラバール2023 /  / 共同訓練 / IND", "country", "印", "", "removed"),
        ("country_lists", "マラバール2023 /  / 共同訓練 / JPN", "country", "日", "", "removed"),
        ("country_lists", "マラバール2023 /  / 共同訓練 / USA", "country", "米", "", "removed"),
        ("country_lists", "マラバール2024 /  / 共同訓練 / AUS", "country", "", "豪", "added"),
        ("country_lists", "マラバール2024 /  / 共同訓練 / CAN", "country", "", "カナダ", "added"),
        ("country_lists", "マラバール2024 /  / 共同訓練 / IND", "country", "", "印", "added"),
        ("country_lists", "マラバール2024 /  / 共同訓練 / JPN", "country", "", "日", "added"),
        ("country_lists", "マラバール2024 /  / 共同訓練 / USA", "country", "", "米", "added"),
        # 日米豪印 → 日米印豪: the same framework, no change; shares: China 20 % → 45 %, US 60 % → 50 %
        ("mention_shares", "ウクライナ", "mentions", "", "5", "added"),
        ("mention_shares", "ロシア", "mentions", "20", "", "removed"),
        ("mention_shares", "中国", "share_percent", "20.0", "45.0", "changed"),
        ("mention_shares", "米国", "share_percent", "60.0", "50.0", "changed"),
    ]


def test_mention_shares_is_published_with_a_number_column(country_diff):
    import pyarrow as pa
    import pyarrow.parquet as pq

    output, _ = country_diff
    rows = read_rows(output / "mention_shares.csv")
    assert [(r["edition"], r["party"], r["share_percent"], r["rank"]) for r in rows] == [
        ("2024", "米国", "60.0", "1"), ("2024", "ロシア", "20.0", "2"), ("2024", "中国", "20.0", "2"),
        ("2025", "米国", "50.0", "1"), ("2025", "中国", "45.0", "2"), ("2025", "ウクライナ", "5.0", "3"),
    ]  # fmt: skip
    table = pq.read_table(output / "mention_shares.parquet")
    assert table.schema.field("share_percent").type == pa.float64()
    assert table.column("share_percent").to_pylist()[:2] == [60.0, 20.0]


def test_markdown_report_sections(country_diff):
    _, pair = country_diff
    text = (pair / "report.md").read_text(encoding="utf-8")
    recurring_part = text.split("### Recurring lists: new and dropped members", 1)[1].split("###", 1)[0]
    malabar = "- **マラバール (共同訓練)**: マラバール2023 (2024 edition) → マラバール2024: new カナダ `CAN` — "
    assert malabar in recurring_part
    assert recurring_part.count("\n- ") == 1  # the reordered 日米印豪 is no change
    added = "added オーストラリア `AUS`, カナダ `CAN`, インド `IND`, 日本 `JPN`, 米国 `USA` ("
    assert f"- **マラバール2024 — 共同訓練**: {added}" in text  # one name each, whatever the book wrote (豪, 印…)
    moved = text.split("### Share moved most", 1)[1].split("###", 1)[0]
    china = "**中国 `CHN`**: 20.00 % → 45.00 % (+25.00 points; 20 of 100 → 45 of 100 mentions)"
    assert moved.index(china) < moved.index("**米国 `USA`**: 60.00 % → 50.00 % (-10.00 points")
    assert "### Named in 2025, not in 2024\n\n- **ウクライナ `UKR`**: 5 mention(s), 5.00 %" in text
    assert "### Named in 2024, not in 2025\n\n- **ロシア `RUS`**: 20 mention(s), 20.00 %" in text
    assert "(../mention_shares_by_edition.png)" in text
    assert "| country_lists | 5 | 4 | 0 | 9 |" in text and "| mention_shares | 1 | 1 | 2 | 4 |" in text
    # a list the rules were unsure of is a review item of the new edition
    review = "- **country\\_lists: country list without a subject (主導: エストニア共和国、…)** — エストニア"
    assert review in text


def test_html_report_sections(country_diff):
    output, pair = country_diff
    report = parse(pair / "report.html")
    text = "".join(report.text)
    assert "マラバール (共同訓練): マラバール2023 (2024 edition) → マラバール2024: new カナダ CAN" in text
    assert "中国 CHN: 20.00 % → 45.00 % (+25.00 points" in text
    assert "R07zenpen.pdf#page=310" in report.links and "R06zenpen.pdf#page=300" in report.links
    import base64

    embedded = [base64.b64decode(src.split(",", 1)[1]) for src in report.images]
    assert (output / "diff" / "mention_shares_by_edition.png").read_bytes() in embedded
    assert (output / "diff" / "mention_shares_by_edition.svg").is_file()
