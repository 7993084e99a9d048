"""Run ``coopqa eval`` end to end and write its table, JSON, Markdown report and plot."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from ..core.records import Passage
from .naive import NaiveBaseline
from .questions import Question
from .runner import MODES, answer_record, run_mode, summarize_answers, summarize_mode

COLUMNS = [
    ("recall@1", "R@1"),
    ("recall@3", "R@3"),
    ("recall@5", "R@5"),
    ("recall@10", "R@10"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("page@1", "page@1"),
    ("section@1", "sect@1"),
    ("tokens@5", "tok@5"),
    ("search_p50_ms", "p50 ms"),
    ("search_p95_ms", "p95 ms"),
]


def run_eval(
    assistant,
    questions: Sequence[Question],
    modes: Sequence[str],
    progress: bool = True,
    with_answers: bool = True,
) -> dict:
    """Evaluate the given modes (and answers, when the assistant can ask) on the questions;
    the summaries are given for all questions and for each split (dev, test) apart."""
    from tqdm import tqdm

    total = len(questions) * (len(modes) + (1 if with_answers else 0))
    bar = tqdm(total=total, desc="evaluating", unit="q", file=sys.stderr, disable=not progress)
    chunks = [Passage(c, 0.0) for c in assistant.data.chunks]
    runs_by_mode = {mode: _mode_runs(assistant, questions, mode, chunks, bar) for mode in modes}
    results: dict = {"questions": {q.id: asdict(q) for q in questions}}
    answered = []
    if with_answers and hasattr(assistant, "ask"):
        base = runs_by_mode.get("hybrid") or next(iter(runs_by_mode.values()))
        answered = _answer_runs(assistant, questions, base, bar)
        results["answer_details"] = {r.qid: r.answer for r in answered}
    else:
        results["answers_note"] = "Assistant.ask is not available: answer metrics skipped"
    bar.close()
    results.update(_summaries(runs_by_mode, answered, questions))
    results["splits"] = {
        split: _summaries(runs_by_mode, answered, [q for q in questions if q.split == split])
        for split in sorted({q.split for q in questions})
    }
    results["per_question"] = {
        mode: {
            r.qid: {"hits": list(r.hits), "top_pages": list(r.top_pages), "top_section": r.top_section}
            for r in runs
        }
        for mode, runs in runs_by_mode.items()
    }
    return results


def _mode_runs(assistant, questions: Sequence[Question], mode: str, chunks: list[Passage], bar) -> list:
    if mode == "naive":
        pdfs = [Path(d.path) for d in assistant.documents if d.kind == "pdf" and Path(d.path).is_file()]
        baseline = NaiveBaseline(pdfs, assistant.embedder.embed).build()
        return run_mode(mode, questions, baseline.search, baseline.passages, progress=bar)

    def search(text, k):
        return assistant.search(text, k=k, mode=mode)

    return run_mode(mode, questions, search, chunks, progress=bar)


def _answer_runs(assistant, questions: Sequence[Question], base: Sequence, bar) -> list:
    answered = []
    for question, run in zip(questions, base):
        started = time.perf_counter()
        answer = assistant.ask(question.question)
        answered.append(replace(run, answer=answer_record(question, answer, time.perf_counter() - started)))
        bar.update(1)
    return answered


def _summaries(runs_by_mode: dict, answered: Sequence, questions: Sequence[Question]) -> dict:
    """Retrieval summaries per mode and answer metrics, over ``questions`` only."""
    ids = {q.id for q in questions}
    return {
        "n_questions": len(questions),
        "n_answerable": sum(q.answerable for q in questions),
        "modes": {
            mode: summarize_mode([r for r in runs if r.qid in ids], questions)
            for mode, runs in runs_by_mode.items()
        },
        "answers": summarize_answers([r for r in answered if r.qid in ids], questions) if answered else None,
    }


SPLIT_COLUMNS = [
    ("recall@1", "R@1"),
    ("recall@5", "R@5"),
    ("mrr@10", "MRR@10"),
    ("page@1", "page@1"),
]
ANSWER_COLUMNS = [
    ("facts_all_present", "facts"),
    ("first_citation_on_gold_page", "cite@page"),
    ("evidence_sentence_chosen", "evid.chosen"),
    ("unanswerable_declined", "unans.declined"),
    ("answerable_wrongly_declined", "wrongly.declined"),
]


def split_rows(results: dict, mode: str = "hybrid") -> list[tuple[str, int, list[float]]]:
    """``(split, questions, values)`` for the split table: retrieval of ``mode``, then answers."""
    rows = []
    for name, part in [*results.get("splits", {}).items(), ("all", results)]:
        summary = part["modes"].get(mode) or next(iter(part["modes"].values()))
        answers = part.get("answers") or {}
        values = [summary[key] for key, _ in SPLIT_COLUMNS]
        values += [answers.get(key, float("nan")) for key, _ in ANSWER_COLUMNS]
        rows.append((name, part["n_questions"], values))
    return rows


def format_splits(results: dict) -> str:
    labels = [label for _, label in SPLIT_COLUMNS + ANSWER_COLUMNS]
    header = f"{'split':<6}{'n':>5}" + "".join(f"{label:>{max(9, len(label) + 2)}}" for label in labels)
    lines = [header, "-" * len(header)]
    for name, n, values in split_rows(results):
        cells = "".join(f"{v:>{max(9, len(label) + 2)}.3f}" for v, label in zip(values, labels))
        lines.append(f"{name:<6}{n:>5}" + cells)
    return "\n".join(lines)


def format_table(results: dict) -> str:
    header = f"{'mode':<8}" + "".join(f"{label:>9}" for _, label in COLUMNS)
    lines = [header, "-" * len(header)]
    for mode, summary in results["modes"].items():
        cells = []
        for key, _ in COLUMNS:
            value = summary[key]
            cells.append(f"{value:>9.1f}" if key.endswith("_ms") or key == "tokens@5" else f"{value:>9.3f}")
        lines.append(f"{mode:<8}" + "".join(cells))
    answers = results.get("answers")
    if answers:
        lines.append("")
        lines.append(
            f"answers: facts present {answers['facts_all_present']:.3f} | first citation on gold page "
            f"{answers['first_citation_on_gold_page']:.3f} | unanswerable declined "
            f"{answers['unanswerable_declined']:.3f} ({answers['n_unanswerable']}) | answerable wrongly "
            f"declined {answers['answerable_wrongly_declined']:.3f} ({answers['n_answerable']}) | ask p50 "
            f"{answers['ask_p50_ms']:.1f} ms, p95 {answers['ask_p95_ms']:.1f} ms"
        )
    elif results.get("answers_note"):
        lines.append(results["answers_note"])
    if results.get("splits"):
        lines += [
            "",
            f"hybrid retrieval and answers by split ({results.get('set', 'report')} set):",
            format_splits(results),
        ]
    return "\n".join(lines)


def format_markdown(results: dict) -> str:
    modes = results["modes"]
    out = [
        f"# coopqa eval — {results.get('set', 'report')} set, {results['n_questions']} questions "
        f"({results['n_answerable']} answerable)",
        *_markdown_splits(results),
        "",
        "## Retrieval, all questions (answerable)",
        "",
        "| mode | " + " | ".join(label for _, label in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for mode, summary in modes.items():
        cells = [
            f"{summary[key]:.1f}" if key.endswith("_ms") or key == "tokens@5" else f"{summary[key]:.3f}"
            for key, _ in COLUMNS
        ]
        out.append(f"| {mode} | " + " | ".join(cells) + " |")
    answers = results.get("answers")
    out += ["", "## Answers", ""]
    if answers:
        out += [
            "| metric | value |",
            "|---|---|",
            f"| every gold fact in the answer (answerable) | {answers['facts_all_present']:.3f} |",
            f"| first citation on a gold page (answerable) | {answers['first_citation_on_gold_page']:.3f} |",
            f"| unanswerable declined | "
            f"{_share(answers['unanswerable_declined'], answers['n_unanswerable'])} |",
            f"| answerable wrongly declined | "
            f"{_share(answers['answerable_wrongly_declined'], answers['n_answerable'])} |",
            f"| ask latency p50 / p95 | {answers['ask_p50_ms']:.1f} / {answers['ask_p95_ms']:.1f} ms |",
            "",
            *_misses(results),
        ]
    else:
        out.append(results.get("answers_note", "no answers"))
    out += _breakdown(modes, "by_kind", f"Recall@5 by kind ({', '.join(modes)})", "kind")
    out += _breakdown(modes, "by_section", "Recall@5 by section", "section")
    out += ["", "## Missed at 5", ""]
    for mode, summary in modes.items():
        out.append(f"- {mode}: {', '.join(summary['missed@5']) or 'none'}")
    out += ["", "![recall and sections](eval.png)", ""]
    return "\n".join(out)


def _misses(results: dict) -> list[str]:
    """The ids an answer missed, of the dev split only when there is one (test misses are not
    listed, so that nobody tunes on them)."""
    dev = results.get("splits", {}).get("dev")
    answers = (dev or results).get("answers") or {}
    which = "dev questions" if dev else "questions"
    return [
        f"Of the {which}: facts missed: {', '.join(answers.get('facts_missed', [])) or 'none'}  ",
        f"First citation off the gold page: {', '.join(answers.get('wrong_page', [])) or 'none'}  ",
        f"Wrongly declined: {', '.join(answers.get('wrongly_declined', [])) or 'none'}  ",
        f"Wrongly answered (unanswerable): {', '.join(answers.get('wrongly_answered', [])) or 'none'}",
    ]


def _markdown_splits(results: dict) -> list[str]:
    """The split table (dev: tuned on; test: frozen) and evidence chosen by kind, per split."""
    if not results.get("splits"):
        return []
    labels = [label for _, label in SPLIT_COLUMNS + ANSWER_COLUMNS]
    out = ["", "## By split (hybrid)", "", "| split | n | " + " | ".join(labels) + " |"]
    out.append("|---|---|" + "---|" * len(labels))
    for name, n, values in split_rows(results):
        out.append(f"| {name} | {n} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    splits = {**results["splits"], "all": results}
    kinds = sorted(
        {
            k
            for part in splits.values()
            for k in (part.get("answers") or {}).get("evidence_chosen_by_kind", {})
        }
    )
    out += ["", "Evidence sentence chosen (evidence in the top 5), by kind:", ""]
    out += ["| kind | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for kind in kinds:
        cells = []
        for part in splits.values():
            row = (part.get("answers") or {}).get("evidence_chosen_by_kind", {}).get(kind)
            cells.append(f"{row['rate']:.2f} ({row['n']})" if row else "–")
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    for name, part in results["splits"].items():
        answers = part.get("answers") or {}
        if name == "dev" and answers:
            missed = ", ".join(answers["evidence_not_chosen"]) or "none"
            out += ["", f"dev, evidence in top 5 but not quoted: {missed}"]
    return out


def _share(rate: float, n: int) -> str:
    return f"{round(rate * n)} of {n} ({rate:.3f})"


def _breakdown(modes: dict, key: str, title: str, label: str) -> list[str]:
    """A Markdown table of recall@5 per kind or per section, one column per mode."""
    first = next(iter(modes))
    out = [
        "",
        f"## {title}",
        "",
        f"| {label} | n | " + " | ".join(modes) + " |",
        "|---|---|" + "---|" * len(modes),
    ]
    for group, row in sorted(modes[first][key].items()):
        cells = " | ".join(f"{modes[m][key].get(group, {}).get('recall@5', 0):.2f}" for m in modes)
        out.append(f"| {group} | {row['n']} | {cells} |")
    return out


def write_plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    modes = results["modes"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1, 1.6]})
    for mode, summary in modes.items():
        left.plot(range(1, 11), summary["recall_curve"], marker="o", label=mode)
    left.set(xlabel="k", ylabel="recall@k (evidence in top k)", title="Recall@k by mode", ylim=(0, 1.02))
    left.set_xticks(range(1, 11))
    left.grid(alpha=0.3)
    left.legend()
    first = next(iter(modes))
    sections = sorted(modes[first]["by_section"])
    width = 0.8 / len(modes)
    for i, (mode, summary) in enumerate(modes.items()):
        values = [summary["by_section"].get(s, {}).get("recall@5", 0) for s in sections]
        right.bar([x + i * width for x in range(len(sections))], values, width=width, label=mode)
    right.set_xticks([x + width * (len(modes) - 1) / 2 for x in range(len(sections))])
    right.set_xticklabels(sections, rotation=60, ha="right", fontsize=8)
    right.set(ylabel="recall@5", title="Recall@5 by section", ylim=(0, 1.22))
    right.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    right.legend(fontsize=8, loc="upper center", ncol=len(modes), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(results: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "eval.json", out_dir / "eval.md", out_dir / "eval.png"]
    paths[0].write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    paths[1].write_text(format_markdown(results), encoding="utf-8")
    write_plot(results, paths[2])
    return paths


def valid_modes(spec: str) -> list[str]:
    from ..core.errors import UsageError

    if spec == "all":
        return list(MODES)
    modes = [m.strip() for m in spec.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise UsageError(f"unknown mode {', '.join(bad) or spec!r}; choose from {', '.join(MODES)} or all")
    return modes
