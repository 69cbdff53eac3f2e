"""Real passages of the white paper shared by several test modules (copied from ../shared/corpus, so the
tests run without it). Source: 防衛省「防衛白書」, Government of Japan Standard Terms of Use."""

import gzip
import json
import re
from functools import cache
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "fixtures" / "corpus"


@cache
def real_2025_passages() -> tuple[dict, ...]:
    """The 2025 book's text layer passages ({"page": physical page, "text": ...}), see fixtures/corpus/README.md."""
    with gzip.open(CORPUS_DIR / "real-2025-textlayer.jsonl.gz", "rt", encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines)


# 2016 edition, III部 日豪防衛協力・交流 (n3214000)
CORPUS_2016_B = (
    "10(同22)年5月、第3回日豪外務・防衛閣僚協議(「2+2」)において、日豪物品役務相互提供協定"
    "(ACSA:Acquisition and Cross-Servicing Agreement)10及び日豪ACSAに基づく手続取決めの署名が行われ、"
    "13(同25)年1月に発効した。これにより国際平和協力活動などにおいて、自衛隊と豪軍が物品や役務を相互に"
    "提供できるようになった。また、同年3月には、日豪情報保護協定が発効し、二国間の情報共有の基盤が"
    "整備されたことから、さらなる二国間協力の強化が期待される。"
)
# 2019 edition, II部 新たな日米ACSAなどの締結 (n25304000)
CORPUS_2019_A = (
    "16(平成28)年9月には、外務大臣と駐日米国大使との間で、日米物品役務相互提供協定(日米ACSA)への"
    "署名が行われ、17(平成29)年4月に国会で承認され、同月に発効した。"
)
CORPUS_2019_B = (
    "また、米国以外にも英国及びオーストラリアとの間で、平和安全法制などを踏まえた物品・役務相互提供協定"
    "(ACSA)を作成し、日米ACSAとともに国会で承認され、同年発効した。続いて、カナダ及びフランスとの間でも"
    "ACSAを作成し、いずれも19(令和元)年5月に国会で承認され、日仏ACSAについては同年6月に発効し、"
    "日加ACSAについては同年7月に発効した。"
)


def skeleton(text: str) -> str:
    """Kanji, hiragana and Japanese punctuation only: what line-end spaces, ruby and footnote marks do not change."""
    return "".join(re.findall(r"[一-龯ぁ-ゖ々、。]", text))


def is_on_page(text: str, page: int) -> bool:
    """True when every clause of ``text`` is on that physical page of the 2025 text layer (``real_2025_passages``).

    Passages cut pages at arbitrary points: a clause may run from the end of one passage into the start of another.
    """
    passages = [skeleton(p["text"]) for p in real_2025_passages() if p["page"] == page]
    for clause in filter(None, re.split(r"(?<=[、。])", skeleton(text))):
        whole = any(clause in passage for passage in passages)
        joined = any(
            a.endswith(clause[:k]) and b.startswith(clause[k:])
            for k in range(1, len(clause))
            for a in passages
            for b in passages
        )
        if not (whole or joined):
            return False
    return True
