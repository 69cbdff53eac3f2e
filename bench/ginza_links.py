"""Date → predicate links of the events table: the clause rules (fugashi, linear) against GiNZA's dependency parse.

Why: pipeline/clauses.py attaches a date to the predicate that follows it in its clause. GiNZA (ja_ginza, a spaCy
pipeline with a Japanese parser) could attach it by the parse instead; this measures both on the same links.

Two steps, because GiNZA is not a dependency of hakusho (about 620 MB with SudachiDict; install it in a separate
virtualenv: ``python3 -m venv /tmp/ginza && /tmp/ginza/bin/pip install ginza ja-ginza``):

    .venv/bin/python bench/ginza_links.py export links.json      # the links of the table that give expected rows
    /tmp/ginza/bin/python bench/ginza_links.py evaluate links.json

``export`` keeps the links the clause rules make that give a row of tests/test_events_table.py (so the rules score
all of them); ``evaluate`` counts a link right when, walking up GiNZA's heads from the date's last token, the
first token that belongs to an event predicate (the event word and its verb group: 署名が行われ) is the link's
predicate. Dates that frame a sentence (2017年、…署名し、発効した) are left out: they reach later predicates by a
rule on top of either attachment.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def export(path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import test_events_table as table

    from pipeline.agreement_names import find_mentions
    from pipeline.clauses import cut
    from pipeline.dates import find_dates
    from pipeline.events import _resolve_references
    from pipeline.nlp import make_doc, split_sentences

    links = []
    for case in table.TABLE:
        expected = {(a, event, date) for a, _, _, event, date in case.rows if date}
        context, last = case.previous, None
        for start, end in split_sentences(case.paragraph):
            sentence = case.paragraph[start:end]
            dates = find_dates(sentence, context, case.year)
            context = next((d.value for d in reversed(dates) if d.value), context)
            doc = make_doc(sentence)
            mentions, last = _resolve_references(find_mentions(sentence, doc), last)
            clauses = cut(sentence, doc, mentions, dates)
            spans = [_predicate_spans(sentence, p) for c in clauses for p in c.predicates]
            for clause in clauses:
                for p in clause.predicates:
                    for d in clause.dates:
                        if not clause.framed and any((m.name, p.event, d.value) in expected for m in clause.agreements):
                            links.append(
                                {
                                    "sentence": sentence,
                                    "date": [d.start, d.end],
                                    "predicate": _predicate_spans(sentence, p),
                                    "predicates": spans,
                                }
                            )
    path.write_text(json.dumps(links, ensure_ascii=False), encoding="utf-8")
    print(
        f"{len(links)} date → predicate links that give rows of the table (the clause rules: {len(links)}/{len(links)})"
    )


def _predicate_spans(sentence: str, predicate) -> list[list[int]]:
    """The event word and its verb group, without a parenthesis inside it (締結(1999年に改正)した → 締結, した)."""
    group = max(predicate.end, sentence.rfind(")", predicate.end, predicate.group_end) + 1)
    return [[predicate.start, predicate.end], [group, max(group, predicate.group_end)]]


def evaluate(path: Path) -> None:
    import spacy

    started = time.time()
    nlp = spacy.load("ja_ginza")
    loaded = time.time() - started
    links = json.loads(path.read_text(encoding="utf-8"))
    docs: dict[str, object] = {}
    right = 0
    wrong = []
    started = time.time()
    for link in links:
        sentence = link["sentence"]
        doc = docs.setdefault(sentence, nlp(sentence))

        def tokens(spans, doc=doc):
            return {t.i for t in doc for a, b in spans if t.idx < b and t.idx + len(t.text) > a}

        predicates = [tokens(spans) for spans in link["predicates"]]
        token = doc[max(tokens([link["date"]]))]
        found, seen = None, set()
        while token.i not in seen:
            seen.add(token.i)
            if any(token.i in p for p in predicates):
                found = token.i
                break
            token = token.head
        if found is not None and found in tokens(link["predicate"]):
            right += 1
        else:
            date = sentence[slice(*link["date"])]
            verb = "".join(sentence[a:b] for a, b in link["predicate"])
            wrong.append(f"{date} → {verb} (GiNZA: {doc[found].text if found is not None else '-'})")
    parsed = time.time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"GiNZA: {right}/{len(links)} links right; load {loaded:.1f} s; {len(docs)} sentences parsed in {parsed:.1f} s"
    )
    print(f"peak memory {peak:.0f} MB")
    for line in wrong:
        print("  wrong:", line)


if __name__ == "__main__":
    command, file = sys.argv[1], Path(sys.argv[2])
    {"export": export, "evaluate": evaluate}[command](file)
