"""What kind of value a question asks for (a year, a share, an amount, a count, a number) and
whether a sentence holds one.

Plain English patterns, no collection words: :func:`answer_type` reads the question,
:func:`has_type` a candidate sentence (the answer step's hard check, see
:func:`coopqa.answer.candidates.passes`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from ..core.text import bm25_tokens

NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve dozen dozens "
    "hundred hundreds thousand thousands million millions billion one".split()
)
_TIME = frozenset("years months decades days weeks times consecutive hours".split())
_TIME_UNITS = frozenset(bm25_tokens("years months decades days weeks hours minutes seconds"))
NUMBER = re.compile(r"(?<![A-Za-z\d-])\d+(?:[.,]\d+)*(?![A-Za-z])")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a year as a question or an answer gives it
_STATUS_DATE = re.compile(
    r"\b[Aa]s (?:of|at) (?:the end of |end-|mid-)?(?:\d{1,2} )?(?:[A-Z][a-z]+ )?(?:\d{1,2}, )?(?:19|20)\d\d\b"
)
MONTH = re.compile(  # a month named, as an answer gives one
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?=\s+\d)"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])\b"
)
_PERCENT = re.compile(r"\d\s?%|\bper ?cent\b|\bhalf\b|\bthird\b|\bquarter\b", re.I)
_MONEY_AMOUNT = re.compile(
    r"(?:USD|RMB|EUR|\$)\s?(?:\d|one|two|three|four|five|ten|hundred)"
    r"|\d[\d,.]*\s?(?:billion|million|trillion|yuan|dollars?)\b",
    re.I,
)
_VERB_AFTER_MUCH = r"(?:is|was|are|were|do|does|did|will|would|can|could|has|have|had|more|less)"
_MONEY_NOUN = re.compile(r"money|cash|fund|capital|invest|financ|spend|budget|revenue|profit|usd|rmb")


# "share" as a noun: asked right after "what"/"which" and up to two words not a plural subject ("What
# market share", not "Which two forks share ..."), or after a determiner or "market" ("the share",
# "Norway's share"); elsewhere it is the verb ("Which nodes share keys?")
_SHARE_NOUN = re.compile(
    r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(?<![a-rt-z]s\s)shares?\b"
    r"|(?:\b(?:the|a|an|its|their|market)|'s)\s+shares?\b"
)
_COUNT_ASK = re.compile(r"\b(?:how many|(?:what|which) (?:is|was|are|were) the (?:[a-z]+ )?number of)")


# "when"/"where"/"while" opening a condition, not asking a date: a verb in -ing or a subject after
# it ("When writing a file, which ...", "When the file is tiled, how ..."), not "When was ...",
# "When exactly ...", "When and where ..."; :func:`answer_type` also wants the comma that ends it
CONDITION = re.compile(
    r"^(?:when|where|while)\s+(?:[a-z]+ing\b|(?:the|a|an|this|that|these|those|my|your|our|their|its"
    r"|you|we|i|it|they|he|she|someone|people)\s)"
)


def answer_type(question: str) -> str:
    """The kind of value the question asks for: ``year``, ``month``, ``percent``, ``money``,
    ``count``, ``number``, or ``""`` (a name, a list, a reason). "How big" asks for a number only where it
    opens a clause ("How big is ...", "..., and how big ..."), not in "... to show how big X is"."""
    q = question.lower().strip()
    if re.search(
        r"\b(what|which)\b[^?]{0,40}\b(percentage|proportion|percent|fraction)\b|\bhow much of\b|%", q
    ):
        return "percent"
    if re.search(r"\b(what|which)\b[^?]{0,40}\bshares?\b", q) and _SHARE_NOUN.search(q):
        return "percent"
    unit = re.search(rf"\bhow much (?!{_VERB_AFTER_MUCH}\b)(\w+)", q)  # "how much gas": a noun
    if unit and not _MONEY_NOUN.match(unit[1]):
        return "number"  # a quantity of the thing named, not money
    if (
        re.search(r"\bhow much\b", q)
        and re.search(
            r"invest|spend|cost|fund|money|worth|budget|financ|capital|value|pay|price|charge|fee|usd|rmb", q
        )
        or re.search(r"\bwhat (?:did|does|do|will|would) [^?]{1,60}\bcost\b(?!\s+in\b)", q)
    ):
        return "money"  # "What did the project cost?", not "What does X cost in gas?"
    if _COUNT_ASK.search(q):
        return "count"  # "What is the maximum number of characters ...?" counts characters
    if re.search(
        r"(?:^|[,;]\s*|\band\s+)how (big|large|fast|high|low|long|old|far|often)\b"
        r"|\bwhat ([\w-]+ ){0,2}?(size|rate)\b|\b(what|which) ([\w-]+ )?version\b"
        r"|\b(what|which) (maximum|minimum|max|min)\b"
        # "in seconds" asks how many ("in seconds or less?"), not "in seconds or frames?" (which unit)
        r"|\bin (seconds|minutes|hours|days|bytes|kilobytes|megabytes)\b"
        r"(?!,?\s+or\s+(?:in\s+)?(?!(?:so|less|more|fewer)\b)[a-z])"
        r"|\b(what|which) (is|was|were|are)\s+(the\s+)?[a-z -]{0,40}\b(volume|value|amount|size|"
        r"capacity|number|total|output|revenue|population)\b",
        q,
    ):
        return "number"
    if re.search(r"\b(?:what|which) (?:calendar )?month\b|\bmonth and year\b", q):
        return "month"  # "In what month and year ...?": a year alone does not say
    if (
        (q.startswith(("when ", "by when")) and not (CONDITION.match(q) and "," in q))
        or q.startswith(("in what year", "in which year", "what year", "which year"))
        or re.search(r"(?:\b(?:on|by|in)\s+|^)(?:what|which) (?:calendar )?date\b", q)
        or re.search(r"\byear\b", q)
        and not re.search(r"\byears?\s+(of|in a row|running)", q)
    ):
        return "year"
    return ""


def count_nouns(question: str) -> tuple[str, ...]:
    """``how many EV charging posts`` -> the stems of the words counted (``charg``, ``post``),
    the last two up to a plural that a verb or preposition follows ("how many scan lines go into
    a block" counts ``scan``, ``line``; "sales staff" counts both); "the number of characters
    allowed" counts ``charact``."""
    match = re.search(
        rf"{_COUNT_ASK.pattern} ([a-z0-9 -]+?)"
        r"(?:\b(?:are|is|do|does|did|were|was|has|have|will|in|of|allowed)\b|\?|$)",
        question.lower(),
    )
    if not match:
        return ()
    words = match.group(1).split()
    plural = next(
        (k for k in range(len(words) - 1) if _plural(words[k]) and words[k + 1] in _AFTER_NOUN), None
    )
    if plural is not None:  # "how many scan lines go into one block": the count ends at "lines"
        words = words[: plural + 1]
    return tuple(bm25_tokens(" ".join(words))[-2:])


# words that end the counted noun when they follow a plural ("how many scan lines go into ...");
# a noun does not ("sales staff", "Wells Fargo branches" count staff and branches)
_AFTER_NOUN = frozenset(
    "go goes went get gets got fit fits come comes came make makes made take takes took can could may"
    " might must shall should would per into onto on at for from with without by to there that which"
    " who exist exists remain remains".split()
)


def _plural(word: str) -> bool:
    """A word that reads as a plural noun ("lines"; not "status", "analysis", "class")."""
    return re.fullmatch(r"[a-z]{2,}[^\Wsui]s", word) is not None


def _counts(tokens: Sequence[str], j: int, noun: int) -> bool:
    """Whether token ``j`` is a number that may count the noun at ``noun``: not one that measures
    time ("24-hour charging", "3 years of growth") unless time is what is counted."""
    if not (NUMBER.fullmatch(tokens[j]) or tokens[j] in NUMBER_WORDS):
        return False
    return tokens[noun] in _TIME_UNITS or tokens[j + 1] not in _TIME_UNITS


@lru_cache(maxsize=16384)
def has_type(kind: str, text: str, nouns: Sequence[str] = ()) -> bool:
    """Whether ``text`` holds a value of the kind the question asks for."""
    if kind == "year":  # a status date ("as of 2022", "as at July 2023") dates no event
        return bool(YEAR.search(_STATUS_DATE.sub(" ", text)))
    if kind == "month":
        return bool(MONTH.search(text))
    if kind == "percent":
        return bool(_PERCENT.search(text))
    if kind == "money":
        return bool(_MONEY_AMOUNT.search(text))
    if kind == "count":
        tokens = bm25_tokens(text)
        noun_seen = False
        for i, token in enumerate(tokens):
            if any(token.startswith(n[:5]) for n in nouns):
                noun_seen = True
                if any(_counts(tokens, j, i) for j in range(max(0, i - 8), i)):
                    return True
        if nouns and noun_seen:
            return False
        # the counted noun is not named as in the question ("groups" vs "categories"):
        # a spelled-out number still counts, a bare figure does not
        pairs = re.findall(r"\b([a-z]+)\s+(?=([a-z]+))", text.lower())
        spelled = any(
            a in NUMBER_WORDS - {"one", "million", "billion", "millions"} and b not in _TIME for a, b in pairs
        )
        return spelled or (not nouns and bool(NUMBER.search(text)))
    if kind == "number":
        return bool(NUMBER.search(text))
    return True


# "What does OWASP stand for?", "What is BRI short for?": the acronyms just before "stand for",
# or between "is" and "short for" ("What kind of threat does the box in the SLSA diagram stand
# for?" names no acronym there: it asks no expansion)
_EXPANSION_ASK = re.compile(
    r"((?:\b[A-Z][A-Z0-9]*[A-Z]s?\s+)+)(?i:stands?|stood)\s+(?i:for)\b"
    r"|\b(?i:is)\s+((?:[A-Z][A-Z0-9]*[A-Z]s?\s+)+)(?i:(?:an?\s+)?(?:short|abbreviation)\s+for)\b"
)
_JOINING = frozenset("of and for the in on to a an &".split())  # may stand inside an expansion
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*|&")


def asked_expansions(question: str) -> tuple[str, ...]:
    """The acronyms whose words the question asks for ("LMD GHOST" -> ``("LMD", "GHOST")``)."""
    match = _EXPANSION_ASK.search(question)
    if not match:
        return ()
    return tuple(a[:-1] if a.endswith("s") else a for a in (match.group(1) or match.group(2)).split())


@lru_cache(maxsize=4096)
def expands(acronym: str, text: str) -> bool:
    """Whether ``text`` spells ``acronym`` out: capitalised words in a row (two letters or more)
    whose first letters are its letters; a small joining word between them may give a letter or
    none ("Belt and Road Initiative" for BRI, "Software Bill of Materials" for SBOM, "Greedy
    Heaviest-Observed Sub-Tree" for GHOST); another acronym may be one of the words ("USB Power
    Delivery" for UPD), not the acronym itself ("CWE-326: Weak Encryption"). A run of two
    letters, or of three that opens the text, counts only when the acronym stands in the text
    too ("Artificial Intelligence (AI)"): "In Texas ..." spells IT by chance."""
    words = _WORD.findall(text)
    present = acronym in words

    @cache
    def spells(k: int, i: int) -> bool:  # words[i:] open with an expansion of acronym[k:]
        if k == len(acronym):
            return True
        if i >= len(words):
            return False
        word = words[i]
        if word[0] == acronym[k] and len(word) > 1 and word != acronym and spells(k + 1, i + 1):
            return True
        if not k or word.lower() not in _JOINING:
            return False
        return (word[0].upper() == acronym[k] and spells(k + 1, i + 1)) or spells(k, i + 1)  # "of" in SBOM

    opening = present or len(acronym) > 3  # may the run open the text
    starts = (i for i, word in enumerate(words) if word[0] == acronym[0] and (opening or i > 0))
    return (present or len(acronym) > 2) and any(spells(0, i) for i in starts)
