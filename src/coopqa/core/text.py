"""Text helpers every stage shares: word tokens for BM25 and overlap, sentences, normalisation.

Pure functions, no model. Invariants: ``bm25_tokens`` is the one tokenizer for BM25, for the
answer step's word overlap and for question analysis, so a word means the same thing in all
three; ``sentence_spans`` returns non-empty, ordered, non-overlapping spans of the text it is
given; ``normalize`` keeps exactly the characters for which ``str.isalnum`` is true, after
folding compatibility forms (ligatures, full-width digits) with NFKC.
"""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have how i if in "
    "into is it its me my of on or our so than that the their them then there these they this "
    "to was we were what when where which who whom why will with would you your about does "
    "did tell say says said report".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs no mr mrs ms dr prof inc ltd co corp fig u.s u.k jan feb mar apr jun jul aug "
    "sep sept oct nov dec st approx al".split()
)
SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b"  # ⁰-⁹ and ⁻
# a sentence ends at . ! or ?, after it a closing quote or bracket and a footnote's mark ("end.¹ Next")
_BOUNDARY = re.compile(
    rf"(?<=[.!?])[\"”’)]?(?:[{SUPERSCRIPTS}]+(?:[,–][{SUPERSCRIPTS}]+)*)?\s+(?=[\"“(\[]?[A-Z0-9])"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def stem(word: str) -> str:
    """Fold a plural, then a verb's ``-ed`` or ``-ing`` when four letters stay: ``countries`` ->
    ``country``, ``plants`` -> ``plant``, ``sponsored`` and ``sponsoring`` -> ``sponsor``,
    ``embedded`` -> ``embed`` (not ``bus``, ``this``, ``based``, ``during``, ``speed``,
    ``hundred``). A light stemmer: ``created`` -> ``creat``, ``studied`` -> ``studi``,
    ``modelling`` -> ``modell``, as long as a word and its forms fold alike."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word in _UNFOLDED:
        return word
    if len(word) > 6 and word.endswith("ing"):
        return _undouble(word[:-3])
    if len(word) > 5 and word.endswith("ed") and not word.endswith("eed"):
        return _undouble(word[:-2])
    return word


_UNFOLDED = frozenset({"hundred", "kindred", "sacred"})  # an "-ed" that is no verb ending


def _undouble(root: str) -> str:
    """``stopp`` -> ``stop``, ``embedd`` -> ``embed``; ``install``, ``pass`` and ``buzz`` keep theirs."""
    if len(root) > 3 and root[-1] == root[-2] and root[-1] not in "aeiouylsz":
        return root[:-1]
    return root


def bm25_tokens(text: str) -> list[str]:
    """Lower-cased word tokens without stop words, plurals and verb endings folded by :func:`stem`
    (``countries`` -> ``country``, ``sponsoring`` -> ``sponsor``)."""
    return [
        stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())
    ]


BULLETS = "•▪◦●■▸►"  # the marks that open a bulleted item, for every stage
BULLETED = re.compile(rf"^[{BULLETS}]\s")  # a line or sentence that is a bulleted item
_BULLET = re.compile(rf"\s(?=[{BULLETS}]\s)")
_MARKER = re.compile(r"(?<!\S)(\d{1,2})\.\s+(?=\S)")  # "3. " opening an item of a numbered list


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (abbreviations and decimals do not end one);
    a bulleted item (``• ...``) is a sentence of its own, and so is an item of a numbered list
    run into one line (``1. Housekeeping 2. What is ... 3. How ...``)."""
    spans = []
    items = _numbered_items(text)
    for start, end in _prose_spans(text, {text.index(".", i) + 1 for i in items}):
        inside = [i for i in items if start < i < end]
        cuts = sorted({start, *inside, *(m.end() for m in _BULLET.finditer(text, start, end)), end})
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((a + lead, a + len(piece.rstrip())))
    return spans


def _numbered_items(text: str) -> list[int]:
    """Where the items of a numbered list run into one line start: three or more markers
    numbered one after another ("1. ", "2. ", "3. "); a lone "in version 2. The ..." is not one."""
    found, run = [], []
    for match in _MARKER.finditer(text):
        number = int(match.group(1))
        if run and number != run[-1][1] + 1:
            found += run if len(run) >= 3 else []
            run = []
        run.append((match.start(), number))
    found += run if len(run) >= 3 else []
    return [position for position, _ in found]


def _prose_spans(text: str, markers: set[int] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans by punctuation; the period of a list marker (its index + 1 in ``markers``)
    ends no sentence."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.start() in markers:
            continue
        before = text[start : match.start()].rstrip('"”’)')
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        word = last.rstrip(".!?").lstrip("([{\"“‘'").lower()  # "(e.g." is "e.g"
        if (
            word in _ABBREVIATIONS
            or re.fullmatch(r"[A-Za-z]", word)
            or re.fullmatch(r"[IVX]+", last.rstrip(".").lstrip("([{\"“‘'"))
        ):
            continue
        end = match.start() + len(match.group(0).rstrip())
        spans.append((start, end if text[end - 1 : end].strip() else match.start()))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def normalize(text: str) -> str:
    """Lower-cased letters and digits only, compatibility forms folded (``ﬁ`` -> ``fi``):
    ``"multi-\\ndimensional"`` == ``"multidimensional"``."""
    return normalized_with_offsets(text)[0]


def normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`normalize` of ``text`` and, for each kept character, its index in ``text``."""
    chars, where = [], []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for part in folded:
            if part.isalnum():
                chars.append(part.lower())
                where.append(i)
    return "".join(chars), where


def clean_question(text: str | None, max_chars: int) -> str:
    """A question as the pipeline reads it: control characters and runs of space folded, cut to
    ``max_chars`` (the embedding model reads ~256 word pieces; BM25 needs no more)."""
    text = _CONTROL.sub(" ", text or "")
    return re.sub(r"\s+", " ", text).strip()[:max_chars]
