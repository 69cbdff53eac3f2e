"""CPU time of the extract stage on the real 2025 text layer: ``extract_blocks`` over its passages, repeated.

Why: the events rules run on every body paragraph of a 550-page edition; this measures what they cost on real
text without typesetting a PDF (``make bench`` measures the whole pipeline). Each passage of
tests/fixtures/corpus/real-2025-textlayer.jsonl.gz (a third of the 2025 book, pdf.js's line-end spaces
removed) becomes a body block, with a heading every 40 blocks; the passages are repeated ``N`` times (default 5,
about 2.8 M characters, some 1.7 editions of body text). One process, tokenizer loaded before the clock starts.

    .venv/bin/python bench/extract_cost.py [N]
    PYTHONPATH=/path/to/other/checkout .venv/bin/python bench/extract_cost.py [N]   # another version of pipeline/
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus" / "real-2025-textlayer.jsonl.gz"
BLOCKS_PER_HEADING = 40


def blocks(repeat: int) -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        passages = [json.loads(line) for line in lines]
    found: list[dict] = []
    for _ in range(repeat):
        for passage in passages:
            text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", passage["text"])
            found.append(
                {"file": "R07zenpen.pdf", "page": passage["page"], "printed_page": "", "kind": "body", "text": text}
            )
            if len(found) % BLOCKS_PER_HEADING == 0:
                found.append(
                    {
                        "file": "R07zenpen.pdf",
                        "page": passage["page"],
                        "printed_page": "",
                        "kind": "heading",
                        "text": f"見出し{len(found)}",
                        "level": 2,
                    }
                )
    return found


def main(repeat: int) -> None:
    from pipeline.extract import extract_blocks
    from pipeline.nlp import make_doc

    make_doc("準備")  # load fugashi and spaCy before the clock starts
    edition = blocks(repeat)
    characters = sum(len(b["text"]) for b in edition)
    started = time.process_time()
    tables = extract_blocks("2025", edition, [], jobs=1)
    spent = time.process_time() - started
    events = len(tables.rows["agreement_events"])
    print(
        f"{len(edition)} blocks, {characters / 1e6:.2f} M characters: extract CPU {spent:.1f} s ({events} event rows)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
