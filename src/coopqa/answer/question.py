"""What a question asks for: its key terms, named things, numbers and the kind of value it wants.

Pure functions, no model: the answer step uses them to decide whether a sentence can answer
(a short follow-up, "and Peru?", is resolved first: :mod:`coopqa.answer.followups`). What is specific
to a collection (its generic words, synonyms, key names and their forms) comes in a ``Lexicon``
built from its profile; ``NEUTRAL`` knows none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.text import STOPWORDS, bm25_tokens
from .asked_name import asks_name
from .lexicon import NEUTRAL, Lexicon
from .values import CONDITION, NUMBER, answer_type, asked_expansions, count_nouns

# words that are capitalised in questions but name nothing specific (a profile adds its own)
GENERIC = frozenset(
    "table figure report "
    "what which when where who how why is are does do did the a an in of for and or to by on "
    "i it its can could would should will tell give list name please according was were "
    "has have had from about any so ok okay and also".split()
)
_REFERENCE = re.compile(r"\b(?:Table|Figure|Fig\.|Chapter|Section|Chart|Box|page|p\.)\s*(\d+)", re.I)


@dataclass(frozen=True)
class QuestionInfo:
    """The parts of a question the answer step checks candidate sentences against."""

    text: str
    tokens: tuple[str, ...]
    entities: tuple[str, ...]
    numbers: tuple[str, ...]
    answer_type: str  # "year", "month", "percent", "money", "count", "number" or ""
    count_nouns: tuple[str, ...] = ()
    alternatives: bool = False  # names joined by "and"/"or"/commas: each may be answered apart
    about_figure: bool = False  # asks about a figure, chart or table itself
    key_tokens: tuple[str, ...] = ()  # tokens less the document's own title words
    shape: str = ""  # "list" (several things), "reason" (why), "method" (how) or "" (see answer_shape)
    # names the collection calls generic (a word of its running header, its profile's words)
    generic_names: tuple[str, ...] = ()
    # the numbers an answer must hold near it: not one that ends a name ("Top 10")
    required_numbers: tuple[str, ...] = ()
    asks_name: bool = False  # who, or which of a kind of named thing (see :mod:`.asked_name`)
    expansions: tuple[str, ...] = ()  # acronyms whose words it asks ("What does OWASP stand for?")
    lexicon: Lexicon = field(default=NEUTRAL, repr=False, compare=False)  # the collection's words


def normalize_terms(question: str, lexicon: Lexicon = NEUTRAL) -> str:
    """The question with the lexicon's synonyms rewritten to the documents' terms."""
    for pattern, replacement in lexicon.synonyms:
        question = pattern.sub(replacement, question)
    return question


# a word that may name a thing; a version's dotted numbers stay in it ("v0.2", "SBI v1.0": not "v0")
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&-]*(?:\.\d+)*(?:'s)?")
_PLURAL_ACRONYM = re.compile(r"[A-Z]{1,3}s")  # "HQs", "EVs": a common noun
# a word may open a question's second sentence just after ".", "?", "!" or ":"
_SENTENCE_END = re.compile(r"[.?!:]\s+\Z")
# the words that open such a sentence as any first word, capitalised but no name: function words
# and the verbs a question asks with ("... present? If not, ...", "... v2.0. Explain why?"; the
# GENERIC words are never names anyway); any other capitalised word there names a thing ("Which
# vendor ships first? Apple or Samsung?", "e.g. Paris")
_OPENERS = STOPWORDS | frozenset(
    "explain describe compare summarize summarise define show mention clarify outline otherwise besides "
    "plus".split()
)
_DIGIT = re.compile(r"\d")


def entities(
    question: str, generic: frozenset[str] = frozenset(), lexicon: Lexicon = NEUTRAL
) -> tuple[str, ...]:
    """Names in the question: capitalised words and acronyms that are not generic, and key names.

    A hyphenated compound gives its parts ("Norway-Chile" -> "Norway", "Chile"); a short plural
    acronym ("HQs", "EVs") is a common noun, not a name; ``generic`` adds words that describe
    the document itself (its running header: title, publisher), ``lexicon`` the collection's
    generic words and key names (which count even as a question's first word). A second
    sentence's first word is a name unless it is a function word or a verb of asking (``_OPENERS``).
    """
    found: list[str] = []
    for position, match in enumerate(_NAME_WORD.finditer(question)):
        word = match.group()
        word = word[:-2] if word.endswith("'s") else word
        # the first word of a second sentence is capitalised as any first word ("... present? If not")
        opens = position == 0 or (
            word.lower() in _OPENERS and _SENTENCE_END.search(question, 0, match.start()) is not None
        )
        parts = [word] if _DIGIT.search(word) else word.split("-")
        for part in parts:
            low = part.lower()
            if low in GENERIC or low in lexicon.generic or low in generic or len(part) < 2:
                continue
            if _PLURAL_ACRONYM.fullmatch(part):
                continue
            capitalised = part[0].isupper() and (not opens or part.isupper() or lexicon.is_key_name(part))
            if (capitalised or _DIGIT.search(part, 1)) and part not in found:
                found.append(part)
    return tuple(found)


def coordinated(question: str, names: Sequence[str]) -> bool:
    """Whether two of the names stand side by side as a list ("Norway and Chile", "A, B and C"):
    a name, then a joining word or comma, then another name ending at a word boundary."""
    if len(set(names)) < 2:
        return False
    found = [(at, at + len(n), n) for n in set(names) for at in word_starts(n, question)]
    starts = {(start, n) for start, end, n in found if _boundary(question, end)}
    for _, end, name in found:
        joined = _JOINER.match(question, end)
        if joined and any(at in (joined.start(1), joined.end()) and other != name for at, other in starts):
            return True
    return False


_JOINER = re.compile(r"(?:'s)?\s*(?:,|and|or|&|vs\.?|versus)\s*((?:the\s+)?)")


# words that cannot stand in a noun phrase ("What happens to ...") and singular nouns in -s
_NOT_IN_NOUN = (
    r"(?!(?:is|are|was|were|do|does|did|this|its|has|happens|applies|belongs|contributes|leads|means"
    r"|remains|goes|makes|takes|gives|causes)\b)"
)
_NOT_NOUN = r"(?!(?:basis|analysis|thesis|crisis|emphasis)\b)" + _NOT_IN_NOUN
_LIST_ASK = re.compile(
    rf"(?:^|[,;]\s*|\band\s+)(?:which|what)\s+(?:{_NOT_IN_NOUN}[a-z-]+\s+){{0,3}}?{_NOT_NOUN}[a-z-]*[^su\W]s\s+"
    r"(?:are|were|do|does|did|can|could|should|must|have|has|will|would|of|in|for|to)\b"
    rf"|(?:^|[,;]\s*|\band\s+)(?:what|which) (?:are|were) (?:the )?(?:[a-z-]+\s+){{0,3}}?[a-z-]*[^su\W]s\b"
    rf"|(?:^|[,;]\s*|\band\s+)(?:which|what)\s+(?:{_NOT_IN_NOUN}[a-z-]+\s+){{0,2}}?{_NOT_NOUN}[a-z-]*[^su\W]s"
    r"\s+(?!(?:the|a|an|of|and|or|best|most|least|first|last|better|more|less|well|only|also)\b)"
    r"[a-z]+(?<![^s]s)\b(?!\s+(?:is|was|has|does)\b)"
    r"|\b(?:what|which) (?:kinds|types|sorts|forms|categories) of\b|^(?:list|name|enumerate)\b",
    re.I,
)
_REASON_ASK = re.compile(
    r"(?:^|[,;]\s*|\band\s+)why\b"
    r"|\bwhat (?:is|was|are|were) the (?:main )?(?:reasons?|causes?|purpose)\b"
    r"|\bfor what (?:reason|purpose)\b|\bwhat (?:explains|causes)\b|\bwhat makes (?!up\b)|\bhow come\b",
    re.I,
)


# "How do builds ...?"; not "how widespread is ...?" (a degree) nor "how builds are verified" (its
# words alone do not tell it from "how common are attacks")
_METHOD_ASK = re.compile(r"\bhow (?:do|does|did|can|could|should|would|will|must|is|are|was|were)\b", re.I)


# "What's the difference between X and Y?", "How does X differ from Y?", "How do X and Y compare?"
_COMPARE_ASK = re.compile(
    r"\bdifferences?\s+between\b|\bdiffer(?:s|ed)?\s+(?:from|between)\b|\bwhat\s+(?:actually\s+)?differs\b"
    r"|\bhow\s+(?:do|does|did)\s+(?!(?:i|we|you|one)\b).{1,80}?\b(?:differ|compare)\b"
    # then how they are set against each other, not a noun ("the compare callback")
    r"(?=\s*(?:from|with|to|between|against|in|across|by|among|over|on|regarding|\?|[.!]|$))"
    r"|\bwhat\s+distinguishes\b",
    re.I,
)


def answer_shape(question: str, value_type: str | None = None) -> str:
    """``"list"`` for several things ("Which elements are mandatory?", "Which countries target
    ...?": a plural noun and a verb), ``"reason"`` for why, ``"method"`` for how ("How should
    findings be reported?"), ``"compare"`` for how two things differ, else ``""``. Plain English
    patterns, no collection words; a question asking for a value (``answer_type``: "how many",
    "how long") has no shape."""
    if answer_type(question) if value_type is None else value_type:
        return ""
    if _REASON_ASK.search(question.strip()):
        return "reason"  # "Why does X differ from Y?" asks a reason
    if _COMPARE_ASK.search(question):
        return "compare"
    if _LIST_ASK.search(question.strip()) and not re.search(r"\bhow many\b", question, re.I):
        return "list"
    return "method" if _METHOD_ASK.search(question) else ""


_NAMED_NUMBER = re.compile(r"\b[A-Z][A-Za-z]+\s+(\d+)(?![\d.,%])")


def _named_numbers(question: str) -> set[str]:
    """Numbers that end a name ("Top 10", "Python 3"): the name says them, not a value."""
    return set(_NAMED_NUMBER.findall(question))


@lru_cache(maxsize=64)
def _words_of(generic: frozenset[str]) -> frozenset[str]:
    return frozenset(bm25_tokens(" ".join(sorted(generic))))


def analyze(question: str, generic: frozenset[str] = frozenset(), lexicon: Lexicon = NEUTRAL) -> QuestionInfo:
    """Read a question (``generic``: words of the document's running header, not names;
    ``lexicon``: the collection's words, kept in the result for the checks that follow)."""
    text = normalize_terms(question, lexicon)
    names = entities(question, generic, lexicon)
    title_words = _words_of(generic)
    unreferenced = _REFERENCE.sub(" ", question)  # "Table 1" names a table, not a figure
    value_type = answer_type(question)
    tokens = tuple(bm25_tokens(text))
    numbers = tuple(NUMBER.findall(unreferenced))
    named = _named_numbers(unreferenced)
    return QuestionInfo(
        text=text,
        tokens=tokens,
        entities=names,
        numbers=numbers,
        generic_names=tuple(e for e in entities(question) if e not in names),
        required_numbers=tuple(n for n in numbers if n not in named),
        answer_type=value_type,
        count_nouns=count_nouns(question),
        alternatives=coordinated(question, names),
        key_tokens=tuple(t for t in tokens if t not in title_words),
        about_figure=bool(re.search(r"\b(figure|fig\.|chart|graph|table|source|caption)", question, re.I)),
        shape=answer_shape(question, value_type),
        asks_name=not value_type and asks_name(question),  # a value asked for is checked as one
        expansions=asked_expansions(question),
        lexicon=lexicon,
    )


def word_starts(form: str, text: str) -> Iterator[int]:
    """Where ``form`` stands in ``text`` at a word boundary before it (as regex ``\\b`` does: a
    word character on one side only), found by string search: no pattern is compiled per name."""
    if not form:
        return
    at = text.find(form)
    while at >= 0:
        if _boundary(text, at):
            yield at
        at = text.find(form, at + 1)


def _boundary(text: str, i: int) -> bool:
    """Whether a word boundary (regex ``\\b``) stands before ``text[i]``: a word character on one side."""
    return (i > 0 and _is_word(text[i - 1])) != (i < len(text) and _is_word(text[i]))


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=8192)
def mentions(entity: str, text: str, lexicon: Lexicon = NEUTRAL) -> bool:
    """Whether ``text`` names ``entity``: case-insensitive, a key name of the lexicon in any of its
    forms (``Norwegian`` ~ ``Norway`` for a profile that says so), another name allowing a short
    ending (``Chilean`` ~ ``Chile``). Kept: the same sentences and passages come back question
    after question."""
    low = text.lower()
    name = entity.lower()
    key = lexicon.owner.get(name)
    forms = lexicon.forms[key] if key else (name,)
    if any(next(word_starts(form, low), None) is not None for form in forms):
        return True
    stem = name[: max(4, len(name) - 3)]
    return not key and len(name) > 5 and stem in low


QUESTION_WORDS = "what|which|who|whom|whose|when|where|why|how"
AUXILIARIES = "is|are|was|were|does|do|did|can|could|should|must|will|would|has|have"
_QUESTION_WORD = rf"(?:{QUESTION_WORDS})\b"
_AUXILIARY = rf"(?:{AUXILIARIES})\b"
# "in which direction do ...": a preposition, "what"/"which", a noun and an auxiliary asks (", in
# which the park is located" is a clause, ", and for which year?" no question of its own)
_ASKING_PREPOSITION = (
    r"(?:in|at|on|for|from|to|by|with|under|during|into)\s+(?:what|which)\s+[a-z]+\s+"
    # then its subject: after "do"/"can" any word ("..., in what format does DataCite?"); after
    # "is"/"has" a word that is no participle ("... is HMAC?", "... are pixels stored"), which a
    # relative clause has there (", in which files are stored", ", into which events are written")
    r"(?:(?:does|do|did|can|could|should|must|will|would)\s+(?!be\b)[\w'-]+"
    r"|(?:is|are|was|were|has|have)\s+(?![a-z]+(?:ed|en)\b)[\w'-]+)"
)
# a second question: after ","/";" and a question word (or such a preposition), "; "/", and" and
# an auxiliary, " and " and a question word; a bare comma before an auxiliary closes an aside
# ("What lifetime, in minutes, does ...")
_PART_BREAK = re.compile(
    rf"(?:,|;)\s*(?:and|but)?\s*(?={_QUESTION_WORD}|{_ASKING_PREPOSITION})"
    rf"|(?:;\s*(?:and|but)?|,\s*(?:and|but))\s*(?={_AUXILIARY})"
    rf"|\s+and\s+(?={_QUESTION_WORD})",
    re.I,
)


def split_parts(question: str) -> list[str]:
    """The parts of a question that asks two things ("How big is X, and what has Y signed?"), each
    of three words or more, the first a question itself. A phrase before them that does not ask
    ("For access control, what's ..., and what ...?") is the setting of every part; before a
    single question ("Apart from X, which ...") it leaves the question whole."""
    setting, parts = _setting_and_parts(question)
    return [setting + part for part in parts] if parts else [question]


def bare_parts(question: str) -> list[str]:
    """The parts of :func:`split_parts` without the setting they share, when they share one (else
    ``[]``): what each part asks apart from where (the setting's words can outweigh a short part's
    own, "Inside a block's pixel data, in what order are the channels stored")."""
    setting, parts = _setting_and_parts(question)
    return parts if setting else []


def _setting_and_parts(question: str) -> tuple[str, list[str]]:
    """The setting (with its ", ", or "") and the parts of a question of two parts or more (none:
    one question)."""
    pieces = [p.strip(" ,;") for p in _PART_BREAK.split(question)]
    setting = ""
    if len(pieces) > 2 and not _asks(pieces[0]) and len(pieces[0].split()) <= 8:
        setting, pieces = pieces[0] + ", ", pieces[1:]
    parts = [p for p in pieces if len(p.split()) >= 3] if _asks(pieces[0]) else []
    if any(_ASKS_FOUND.match(p) for p in parts[1:]):
        return "", []  # "Which fork ..., and what is it?": "it" is what the first part finds
    if len(parts) == len(pieces) and len(parts) > 1:
        return setting, parts
    return "", []


# a part that asks only about what the part before it finds: "what is it?", "what is it for?"
_ASKS_FOUND = re.compile(
    r"(?:what|which|who)\s+(?:is|are|was|were)\s+(?:it|they|that|this)"
    r"(?:\s+(?:for|about|of|from|in|on|at|worth|like|used|called))?\s*\??$",
    re.I,
)


def _asks(text: str) -> bool:
    if CONDITION.match(text.lower()):  # "When writing X, ...": a setting, not a question
        text = text.split(None, 1)[1]
    return bool(re.match(_AUXILIARY, text, re.I) or re.search(rf"\b{_QUESTION_WORD}", text, re.I))
