"""``coopqa eval``: retrieval, citation and answer quality over a question set, against baselines.

Gold evidence is text, not chunk ids, so the set survives any re-chunking: a passage hits a
question when it contains one of the question's evidence strings, compared on letters and
digits only (see :func:`coopqa.evaluation.metrics.hits`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core import tokens
from ..core.records import SEARCH_MODES, Passage, section_key
from . import metrics
from .questions import Question

MODES = (*SEARCH_MODES, "naive")
CUTOFFS = (1, 3, 5, 10)


def match_text(passage: Passage) -> str:
    """What evidence is looked for in: caption, text, and a table row's cells without headers."""
    parts = [passage.caption, passage.text]
    if passage.kind == "table_row":
        parts.append(" ".join(cell.split(": ", 1)[-1] for cell in passage.text.split("; ")))
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class QuestionRun:
    """One question under one mode."""

    qid: str
    mode: str
    hits: tuple[bool, ...]
    n_relevant: int
    top_pages: tuple[str, ...]
    top_section: str
    top5_tokens: int
    seconds: float
    top_title: str = ""  # the innermost heading as printed (an outline title)
    answer: dict | None = None


def _run(
    question: Question, passages: list[Passage], all_texts: list[str], mode: str, seconds: float
) -> QuestionRun:
    texts = [match_text(p) for p in passages]
    hits = tuple(metrics.hits(texts, question.evidence))
    n_relevant = sum(metrics.hits(all_texts, question.evidence)) if question.evidence else 0
    top = passages[0] if passages else None
    return QuestionRun(
        qid=question.id,
        mode=mode,
        hits=hits,
        n_relevant=n_relevant,
        top_pages=top.pages if top else (),
        top_section=section_key(top.section) if top else "",
        top_title=top.section[-1] if top and top.section else "",
        top5_tokens=sum(tokens.count(p.text) for p in passages[:5]),
        seconds=seconds,
    )


def run_mode(
    mode: str,
    questions: Sequence[Question],
    search: Callable[[str, int], list[Passage]],
    all_passages: list[Passage],
    k: int = 10,
    progress=None,
) -> list[QuestionRun]:
    """Search every question in one mode and record where the evidence was found."""
    all_texts = [match_text(p) for p in all_passages]
    runs = []
    for question in questions:
        started = time.perf_counter()
        passages = search(question.question, k)
        seconds = time.perf_counter() - started
        runs.append(_run(question, passages, all_texts, mode, seconds))
        if progress:
            progress.update(1)
    return runs


def fact_present(fact: str, text: str) -> bool:
    return metrics.normalize(fact) in metrics.normalize(text)


def evidence_quoted(question: Question, answer) -> bool:
    """Whether one of the answer's quotes is (part of) the gold evidence, or holds it whole; a
    quoted table row is also read as its cells without headers, as :func:`match_text` reads it
    (evidence written as a row's cells, ``"Alder\\t25% ...\\t2050"``)."""
    needles = [metrics.normalize(e) for e in question.evidence]
    for quote in answer.quotes:
        if not quote.supported or not 1 <= quote.citation <= len(answer.citations):
            continue
        passage = answer.citations[quote.citation - 1]
        span = passage.text[quote.start : quote.end]
        readings = [span]
        if passage.kind == "table_row":
            readings.append(" ".join(cell.split(": ", 1)[-1] for cell in span.split("; ")))
        for text in map(metrics.normalize, readings):
            if any(n and (n in text or (len(text) >= 20 and text in n)) for n in needles):
                return True
    return False


def answer_record(question: Question, answer, seconds: float) -> dict:
    """How one answer fared: facts present, first citation on a gold page, evidence quoted,
    declined or not. A decline holds no fact, even where a closest section's name or page
    number spells one ("5" in "(p. 5)")."""
    first = answer.quotes[0] if answer.quotes else None
    return {
        "evidence_quoted": evidence_quoted(question, answer),
        "answered": bool(answer.answered),
        "facts": bool(answer.answered) and all(fact_present(f, answer.text) for f in question.answer_facts),
        "first_page_ok": bool(first and metrics.page_hit(first.pages, question.pages)),
        "first_cite": answer.cite(first.citation) if first else "",
        "text": answer.text,
        "seconds": seconds,
    }


def summarize_mode(runs: Sequence[QuestionRun], questions: Sequence[Question]) -> dict:
    """Retrieval metrics of one mode over the answerable questions."""
    by_id = {q.id: q for q in questions}
    answerable = [r for r in runs if by_id[r.qid].answerable]
    out = {f"recall@{c}": metrics.mean([metrics.recall_at_k(r.hits, c) for r in answerable]) for c in CUTOFFS}
    out["recall_curve"] = [
        metrics.mean([metrics.recall_at_k(r.hits, c) for r in answerable]) for c in range(1, 11)
    ]
    out["mrr@10"] = metrics.mean([metrics.reciprocal_rank(r.hits, 10) for r in answerable])
    out["ndcg@10"] = metrics.mean(
        [metrics.ndcg_at_k(r.hits, 10, n_relevant=max(r.n_relevant, sum(r.hits))) for r in answerable]
    )
    out["page@1"] = metrics.mean(
        [float(metrics.page_hit(r.top_pages, by_id[r.qid].pages)) for r in answerable]
    )
    out["section@1"] = metrics.mean(
        [float(by_id[r.qid].section in (r.top_section, r.top_title)) for r in answerable]
    )
    out["tokens@5"] = metrics.mean([float(r.top5_tokens) for r in answerable])
    seconds = [r.seconds for r in runs]
    out["search_p50_ms"] = 1000 * metrics.median(seconds)
    out["search_p95_ms"] = 1000 * metrics.percentile(seconds, 95)
    out["missed@5"] = [r.qid for r in answerable if not any(r.hits[:5])]
    groups: dict[str, dict[str, list[float]]] = {"kind": {}, "section": {}}
    for r in answerable:
        q = by_id[r.qid]
        for name, key in (("kind", q.kind), ("section", q.section)):
            groups[name].setdefault(key, []).append(metrics.recall_at_k(r.hits, 5))
    out["by_kind"] = {k: {"n": len(v), "recall@5": metrics.mean(v)} for k, v in groups["kind"].items()}
    out["by_section"] = {k: {"n": len(v), "recall@5": metrics.mean(v)} for k, v in groups["section"].items()}
    return out


def summarize_answers(runs: Sequence[QuestionRun], questions: Sequence[Question]) -> dict | None:
    """Answer metrics (only for runs that carry an answer)."""
    by_id = {q.id: q for q in questions}
    with_answer = [r for r in runs if r.answer is not None]
    if not with_answer:
        return None
    answerable = [r for r in with_answer if by_id[r.qid].answerable]
    unanswerable = [r for r in with_answer if not by_id[r.qid].answerable]
    seconds = [r.answer["seconds"] for r in with_answer]
    found = [r for r in answerable if any(r.hits[:5])]  # evidence among the top five passages
    by_kind: dict[str, list[float]] = {}
    for r in found:
        by_kind.setdefault(by_id[r.qid].kind, []).append(float(r.answer["evidence_quoted"]))
    return {
        "evidence_sentence_chosen": metrics.mean([float(r.answer["evidence_quoted"]) for r in found]),
        "n_evidence_in_top5": len(found),
        "evidence_chosen_by_kind": {
            k: {"n": len(v), "rate": metrics.mean(v)} for k, v in sorted(by_kind.items())
        },
        "evidence_not_chosen": [r.qid for r in found if not r.answer["evidence_quoted"]],
        "facts_all_present": metrics.mean([float(r.answer["facts"]) for r in answerable]),
        "first_citation_on_gold_page": metrics.mean([float(r.answer["first_page_ok"]) for r in answerable]),
        "unanswerable_declined": metrics.mean([float(not r.answer["answered"]) for r in unanswerable]),
        "answerable_wrongly_declined": metrics.mean([float(not r.answer["answered"]) for r in answerable]),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "ask_p50_ms": 1000 * metrics.median(seconds),
        "ask_p95_ms": 1000 * metrics.percentile(seconds, 95),
        "facts_missed": [r.qid for r in answerable if not r.answer["facts"]],
        "wrong_page": [r.qid for r in answerable if r.answer["answered"] and not r.answer["first_page_ok"]],
        "wrongly_declined": [r.qid for r in answerable if not r.answer["answered"]],
        "wrongly_answered": [r.qid for r in unanswerable if r.answer["answered"]],
    }
