"""The ``coopqa`` command: validates arguments, calls the library, turns its errors into one line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from ..core.errors import CoopQAError, UsageError
from ..core.records import SEARCH_MODES
from ..core.settings import PROJECT_ROOT, Settings


def _settings(args) -> Settings:
    return Settings.from_env().with_index(getattr(args, "index", None))


def cmd_ingest(args) -> int:
    from ..index.collection import ingest

    settings = _settings(args)
    if args.no_ocr:
        settings = settings.override(ocr=False)
    paths = [Path(p) for p in args.paths] if args.paths else None
    address = args.ray
    if address and Path(address).exists():  # `--ray docs/`: a path to ingest, not a cluster address
        paths, address = [Path(address), *(paths or [])], ""
    if paths is None and args.rebuild is False:
        print(f"syncing {settings.corpus_dir} into {settings.index_dir}", file=sys.stderr)
    if address is not None:
        from ..index.distributed import ingest_ray

        report = ingest_ray(paths, settings, address or None, rebuild=args.rebuild, progress=not args.quiet)
    else:
        report = ingest(paths, settings, rebuild=args.rebuild, progress=not args.quiet)
    for name, reason in report.failed:
        print(f"coopqa: skipped {name}: {reason}", file=sys.stderr)
    for name, reason in report.warnings:
        print(f"coopqa: {name}: {reason}; the rest of it was kept", file=sys.stderr)
    if report.written or report.documents:
        print(report.summary())
    if not report.written:
        print("index unchanged" + (" (nothing new to add)" if not report.failed else ""))
    return 1 if report.failed else 0


def _load(args):
    from .assistant import Assistant

    return Assistant.load(settings=_settings(args))


def cmd_search(args) -> int:
    question = " ".join(args.question).strip()
    if not question:
        raise UsageError('give a question, e.g. coopqa search "What does the report recommend?"')
    qa = _load(args)
    passages = qa.search(question, k=args.k, mode=args.mode, doc=args.doc, section=args.section)
    if args.json:
        print(json.dumps([p.to_json() for p in passages], ensure_ascii=False, indent=1))
        return 0
    if not passages:
        print("no passages found")
    many_docs = len(qa.documents) > 1
    for n, passage in enumerate(passages, start=1):
        where = f"{passage.doc}: " if many_docs else ""
        print(f"[{n}] {where}{passage.cite()}   (score {passage.score:.4f})")
        body = passage.text.replace("\n\n", " ¶ ")
        print(textwrap.indent(textwrap.fill(body, width=100), "    "))
        print()
    return 0


def cmd_ask(args) -> int:
    question = " ".join(args.question).strip()
    qa = _load(args)
    answer = qa.ask(question, k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(textwrap.fill(answer.text, width=100))
    if answer.citations:
        print(answer.sources())
    if answer.note:
        print(f"({answer.note})")
    return 0


def cmd_docs(args) -> int:
    from ..index.store import list_documents

    rows = [(d.name, str(d.pages), str(d.chunks), d.added) for d in list_documents(_settings(args).index_dir)]
    header = ("document", "pages", "chunks", "added")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    return 0


def cmd_remove(args) -> int:
    from ..index.collection import ingest

    report = ingest([], _settings(args), remove=args.names, progress=False)
    print(f"removed {', '.join(report.removed)}; {report.documents} documents, {report.chunks} chunks left")
    return 0


def cmd_eval(args) -> int:
    from ..evaluation.questions import load_questions, load_sets
    from ..evaluation.report import format_table, run_eval, valid_modes, write_outputs

    modes = valid_modes(args.mode)
    sets = load_sets(Path(args.sets))
    if args.set not in sets:
        raise UsageError(f"unknown evaluation set {args.set!r}; choose one of: {', '.join(sets)}")
    chosen = sets[args.set]
    questions = load_questions(Path(args.questions) if args.questions else chosen.questions)
    out = Path(args.out) if args.set == "report" else Path(args.out) / args.set
    settings = _settings(args).override_text(args.set_option)
    if chosen.corpus and getattr(args, "index", None) is None:
        settings = _eval_index(settings.with_index(out / "index"), chosen.corpus, args.rebuild, args.quiet)
    from .assistant import Assistant

    qa = Assistant.load(settings=settings)
    results = run_eval(qa, questions, modes, progress=not args.quiet, with_answers=not args.no_answers)
    results["set"], results["options"] = args.set, list(args.set_option)
    print(format_table(results))
    for path in write_outputs(results, out):
        print(f"wrote {path}")
    return 0


def _eval_index(settings: Settings, corpus, rebuild: bool, quiet: bool) -> Settings:
    """The index of a set's own documents, kept under its results folder (rebuilt when stale)."""
    from ..core.errors import IndexFolderError
    from ..index.collection import ingest

    try:
        ingest(list(corpus), settings, rebuild=rebuild, progress=not quiet)
    except IndexFolderError:
        ingest(list(corpus), settings, rebuild=True, progress=not quiet)
    return settings


def cmd_bench(args) -> int:
    from ..evaluation.bench import format_bench, run_bench, write_bench
    from ..evaluation.questions import load_questions

    try:
        sizes = [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split()] if args.sizes else []
    except ValueError:
        raise UsageError(f"--sizes takes whole numbers, got {args.sizes!r}") from None
    try:
        copies = [int(s) for s in args.corpus_copies.split()]
    except ValueError:
        raise UsageError(f"--corpus-copies takes whole numbers, got {args.corpus_copies!r}") from None
    if any(n < 1 for n in copies):
        raise UsageError(f"--corpus-copies takes numbers of 1 or more, got {args.corpus_copies!r}")
    qa = _load(args)
    pdfs = [Path(d.path) for d in qa.documents if d.kind == "pdf" and Path(d.path).is_file()]
    if not pdfs:
        raise UsageError("no PDF of the index is on disk to time the ingest with")
    records = load_questions(Path(args.questions))
    questions = [q.question for q in records]
    result = run_bench(
        qa,
        pdfs[0],
        questions,
        sizes,
        args.questions_n,
        args.embed_chunks,
        args.ingest_runs,
        args.cold_runs,
        progress=not args.quiet,
        ocr_pages=args.ocr_pages,
        corpus_copies=copies,
        gate=records,
    )
    print(format_bench(result))
    print(f"wrote {write_bench(result, Path(args.out))}")
    return 0


def cmd_serve(args) -> int:
    from .page import launch

    settings = _settings(args)
    if args.max_file_mb is not None:
        if args.max_file_mb <= 0:
            raise UsageError(f"--max-file-mb must be positive, got {args.max_file_mb}")
        settings = settings.override(max_file_mb=args.max_file_mb)
    if args.no_ocr:
        settings = settings.override(ocr=False)
    given = {"host": args.host, "port": args.port}
    settings = settings.override(**{name: value for name, value in given.items() if value is not None})
    if args.auth and ":" not in args.auth:
        raise UsageError("--auth takes user:password")
    launch(settings, auth=args.auth)
    return 0


def cmd_config(args) -> int:
    from ..core.settings import describe

    print(describe(_settings(args)))
    return 0


def _common() -> argparse.ArgumentParser:
    """Options every command takes (``--index`` works before or after the command name)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index", default=argparse.SUPPRESS, help="index folder (default: COOPQA_INDEX or ./index)"
    )
    return common


def _add_collection_commands(sub, common) -> None:
    p = sub.add_parser(
        "ingest", parents=[common], help="add documents to the index (no path: sync the bundled ingest/)"
    )
    p.add_argument("paths", nargs="*", help="PDF, .txt or .md files, or folders of them")
    p.add_argument("--rebuild", action="store_true", help="start a fresh index from these paths")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--no-ocr", action="store_true", help="refuse scanned pages instead of reading them by OCR"
    )
    p.add_argument(
        "--ray",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="parse and embed on a Ray cluster: ADDRESS of a running one (host:port, auto), "
        "or none to start one on this machine (pip install 'coopqa[ray]')",
    )
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("docs", parents=[common], help="list the documents in the index")
    p.set_defaults(func=cmd_docs)
    p = sub.add_parser("remove", parents=[common], help="drop documents from the index")
    p.add_argument("names", nargs="+")
    p.set_defaults(func=cmd_remove)
    p = sub.add_parser("config", parents=[common], help="print the effective settings and their variables")
    p.set_defaults(func=cmd_config)


def _add_question_commands(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="print the passages that best match a question")
    p.add_argument("question", nargs="+")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    p.add_argument("--mode", default="hybrid", help=f"{', '.join(SEARCH_MODES)} (default hybrid)")
    p.add_argument("--doc", help="only this document")
    p.add_argument("--section", help="only sections starting with this, e.g. 'II.(i)'")
    p.add_argument("--json", action="store_true", help="print passages as JSON")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("ask", parents=[common], help="answer a question with cited quotes from the report")
    p.add_argument("question", nargs="+")
    p.add_argument("-k", type=int, default=None, help="how many passages the answer may draw on (default 6)")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser(
        "serve", parents=[common], help="open the chat page (builds the index from ingest/ the first time)"
    )
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")
    p.add_argument("--auth", help="require a login, as user:password")
    p.add_argument("--max-file-mb", type=float, default=None, help="upload size limit (default 50)")
    p.add_argument(
        "--no-ocr", action="store_true", help="refuse scanned uploads instead of reading them by OCR"
    )
    p.set_defaults(func=cmd_serve)


def _add_measure_commands(sub, common) -> None:
    questions = str(PROJECT_ROOT / "eval" / "questions.jsonl")
    p = sub.add_parser("eval", parents=[common], help="measure retrieval and answers on a question set")
    p.add_argument("--set", default="report", help="which set of eval/sets.json (report, fresh, other)")
    p.add_argument("--sets", default=str(PROJECT_ROOT / "eval" / "sets.json"), help=argparse.SUPPRESS)
    p.add_argument("--questions", default=None, help="another question file for the set's documents")
    p.add_argument(
        "--set-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for this run (ablations)",
    )
    p.add_argument("--mode", default="all", help="hybrid, rrf, dense, bm25, naive, a comma list, or all")
    p.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "results"))
    p.add_argument("--no-answers", action="store_true", help="retrieval metrics only")
    p.add_argument("--rebuild", action="store_true", help="rebuild the index of a set's own documents")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("bench", parents=[common], help="measure speed, memory and scale on this machine")
    p.add_argument(
        "--sizes",
        default="10000 100000 1000000",
        help="synthetic index sizes for the scale test (space-separated)",
    )
    p.add_argument("--questions", default=questions)
    p.add_argument("--questions-n", type=int, default=200, help="warm questions to time")
    p.add_argument("--embed-chunks", type=int, default=2000, help="real-text chunks to embed")
    p.add_argument("--ingest-runs", type=int, default=3)
    p.add_argument("--cold-runs", type=int, default=3)
    p.add_argument("--ocr-pages", type=int, default=6, help="pages to time OCR on (0: skip)")
    p.add_argument(
        "--corpus-copies",
        default="5 10",
        help="corpus ingest: sizes in copies of the report (space-separated; empty: skip)",
    )
    p.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "results" / "bench.json"))
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_bench)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="coopqa",
        parents=[common],
        description="Offline question answering with page-cited quotes from the bundled report "
        "and your own PDFs.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_collection_commands(sub, common)
    _add_question_commands(sub, common)
    _add_measure_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CoopQAError as exc:
        print(f"coopqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coopqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``coopqa ask ... | head``): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as the Python docs advise
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
