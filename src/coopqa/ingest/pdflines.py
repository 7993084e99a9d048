"""A PDF page's text runs -> its lines, with position, type size and weight.

pypdf's text visitor gives the runs of text as the PDF draws them (:func:`_fragments`); a run
that goes on along the same baseline, not far right of where the line so far ends, joins that
line, and one that starts well right of it (a table's next cell) starts a line of its own at the
same height. A line is bold when most of its characters are, and set in the size of its first
run, unless that run is a badge beside a title (:meth:`_LineBuilder.badge`): then in the title's
size, and without the badge's text when the badge abbreviates the title (:func:`abbreviates`, a
page tab "+RF" that only repeats it). A bracketed tag drawn first at the right of a line
("[Function]" of a Texinfo entry) is read after that line. A number set small and raised right
after a word (a footnote's mark, an exponent) is read as superscript digits
(:meth:`_LineBuilder.raised_number`): "destroyed¹", "10¹⁸", where pypdf gives "destroyed1" and
"1018".

Invariants: line text is NFKC-normalised (ligatures ``ﬁ`` -> ``fi``), Unicode hyphens and soft
hyphens are ``-`` (a PDF draws a soft hyphen's glyph wherever it has one), runs of space are one
space (:func:`clean_pdf_text`), superscript digits are kept (NFKC would fold them back into the
word); the lines come in reading order as the PDF draws them, a title drawn last put back first
(:func:`~coopqa.ingest.order.title_first`) and a head set beside its text and drawn after it put
back before it (:func:`~coopqa.ingest.sideheads.side_heads_first`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from ..core.records import Line
from ..core.text import SUPERSCRIPTS
from .order import page_body_size, title_first
from .sideheads import side_heads_first
from .spacing import mend_space_widths

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": "-"})
_TAG = re.compile(r"\[[^\[\]]{1,40}\]")  # "[Function]", "[Method on Config]"
BADGE_CHARS = 4  # a badge beside a title (see _LineBuilder.badge): at most this many characters
BADGE_RATIO = 1.2  # and set this many times the title's size or more
RAISED_SIZE = 0.8  # a raised number is set at most this share of the line's size
RAISED_LIFT = 0.15  # and its baseline this many line sizes above the line's or more (at most half: continues)
_RAISED = re.compile(r"[-\u2212]?\d{1,3}(?:[,\u2013-]\d{1,3})*")  # "9", "12,13", "3-5", "-9"
# a raised number's digits (and minus) are carried through NFKC as private-use characters at the
# very end of plane 16 (icon fonts map their glyphs to the BMP's U+E000 on and to plane 15)
_MARK = 0x10FFF0
_TO_MARK = str.maketrans(
    {**{str(d): chr(_MARK + d) for d in range(10)}, "-": chr(_MARK + 10), "\u2212": chr(_MARK + 10)}
)
_MARK_TO_SUPERSCRIPT = str.maketrans(
    {chr(_MARK + i): SUPERSCRIPTS[i] for i in range(11)}  # digits 0-9, then minus
)


@dataclass
class _Fragment:
    """A run of text as the PDF draws it, in page space."""

    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass
class _LineBuilder:
    """The line being assembled from fragments: its text, where it starts, and how much is bold."""

    text: str
    x: float
    y: float
    size: float
    bold_chars: int = 0
    chars: int = 0
    pieces: int = 0
    after: _LineBuilder | None = None  # drawn first, right of this line at its height: read after it

    def add(self, piece: str, bold: bool) -> None:
        weight = len(piece.strip())
        self.pieces += 1
        self.text += piece
        self.bold_chars += weight * bold
        self.chars += weight

    def line(self) -> Line | None:
        text = clean_pdf_text(self.text + (" " + self.after.text if self.after else ""))
        text = text.translate(_MARK_TO_SUPERSCRIPT)
        if not text:
            return None
        bold, chars = self.bold_chars, self.chars
        if self.after:
            bold, chars = bold + self.after.bold_chars, chars + self.after.chars
        return Line(text, self.x, self.y, self.size, bold=bold >= 0.8 * max(chars, 1))

    def drawn_before(self, fragment: _Fragment) -> bool:
        """The line so far is a bracketed tag on ``fragment``'s baseline, right of where
        ``fragment`` starts: drawn first, read after it (a Texinfo entry's category, "[Function]"
        at the right margin, drawn before "int config_read (...)"). An equation's number, drawn
        first, is left where it is: its formula's pieces do not come in one run."""
        level = abs(self.y - fragment.y) <= 0.5 * max(fragment.size, self.size, 1.0)
        tag = self.pieces == 1 and self.after is None and _TAG.fullmatch(self.text.strip()) is not None
        return level and tag and fragment.x < self.x - fragment.size

    def continues(self, fragment: _Fragment) -> bool:
        """Same baseline, and not so far right of where the text ends that it is another cell."""
        if abs(self.y - fragment.y) > 0.5 * max(fragment.size, self.size, 1.0):
            return False
        return fragment.x <= self.text_end() + 2.0 * fragment.size

    def raised_number(self, fragment: _Fragment, piece: str) -> bool:
        """``piece`` is a number set small and raised right after the line's last word: a
        footnote's mark ("destroyed" + "1") or an exponent ("10" + "18"), not a number of its own
        line or one after a space."""
        if not self.text[-1:].strip() or piece != piece.lstrip() or not _RAISED.fullmatch(piece.strip()):
            return False
        lift = fragment.y - self.y
        return fragment.size <= RAISED_SIZE * self.size and lift >= RAISED_LIFT * self.size

    def badge(self, fragment: _Fragment) -> bool:
        """The line so far is a badge beside ``fragment``, its title: a single run of at most
        ``BADGE_CHARS`` characters, set ``BADGE_RATIO`` times the title's size or more and half
        that size or more left of it; the title has four letters or more and is not set lower (a
        tab "+RF" on a page's edge beside its title, not a symbol and its subscript). The
        title's size, not the badge's, is then the line's."""
        short = self.pieces == 1 and len(self.text.strip()) <= BADGE_CHARS
        apart = fragment.x > self.text_end() + 0.5 * fragment.size
        title = len(re.findall(r"[^\W\d_]", fragment.text)) >= 4  # a word, not a subscript "i"
        level = fragment.y >= self.y - 0.1 * fragment.size  # a subscript sits below what it follows
        return short and apart and title and level and self.size >= BADGE_RATIO * fragment.size

    def for_title(self, fragment: _Fragment, title: str) -> _LineBuilder:
        """The line to go on with after this badge: the title's size; the badge's text left out
        when it abbreviates the title (:func:`abbreviates`: "+RF" of "Details About Risk
        Factors", a tab that only repeats it), kept otherwise (a chapter's number)."""
        if not abbreviates(self.text, title):
            return replace(self, size=fragment.size)
        return _LineBuilder("", fragment.x, fragment.y, fragment.size)

    def text_end(self) -> float:
        return self.x + 0.5 * self.size * len(self.text)


def abbreviates(badge: str, title: str) -> bool:
    """Whether ``badge`` is a tab that abbreviates ``title``: its letters, and its numbers as whole
    numbers, stand in the title in order, the first opening one of the title's words ("+RF" of
    "Details About Risk Factors", "TOC", "T10" of "Top 10"). Never a number ("3", "II" beside
    "Implementation"), a plain letter that does not open the title ("B" of "Data Sources"; "+D"
    of "What's Next for Developers" is a tab), or a badge beside a lower-case start (a drop cap
    "T" of "he harbour")."""
    parts = re.findall(r"[^\W\d_]|\d+", badge.lower())
    text = title.strip()
    if not parts or not any(p.isalpha() for p in parts) or not text[:1].isupper():
        return False
    if re.fullmatch(r"[ivxlc]+", "".join(parts)) and len(parts) > 1:
        return False  # a roman number
    text = text.lower()
    if len(parts) == 1 and badge.isalnum():  # a plain letter: a tab only of the title's first word
        return text.startswith(parts[0])
    rest = "".join(".*?" + (rf"(?<!\d){p}(?!\d)" if p.isdigit() else re.escape(p)) for p in parts[1:])
    return re.search(rf"\b{re.escape(parts[0])}{rest}", text) is not None


def clean_pdf_text(text: str) -> str:
    """One PDF line's text as the pipeline reads it: NFKC (ligatures unfolded), Unicode hyphens
    and soft hyphens as ``-``. A soft hyphen in a PDF is a glyph the page draws, not a hint: an
    office suite writes the hyphens of "Scan-line-based" and the minus of ``pixels - min.x`` so."""
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    return re.sub(r"\s+", " ", text).strip()


def _fragments(page) -> list[_Fragment]:
    """The page's text runs from pypdf's visitor, with position and size in page space."""
    fragments: list[_Fragment] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text:
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        scale = math.sqrt(abs(a * d - b * c)) or 1.0
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        fragments.append(_Fragment(text, x, y, round(font_size * scale, 2), bool(_BOLD.search(font))))

    mend_space_widths(page)  # TeX's word gaps read as spaces (see :mod:`.spacing`)
    page.extract_text(visitor_text=visit)
    return fragments


def page_lines(page) -> tuple[Line, ...]:
    """Lines of one page from pypdf's text visitor, in reading order as the PDF draws them (a
    title drawn last put back first, :func:`~coopqa.ingest.order.title_first`, and a side head
    before the text beside it, :func:`~coopqa.ingest.sideheads.side_heads_first`)."""
    lines: list[Line] = []
    current: _LineBuilder | None = None

    def flush() -> None:
        line = current.line() if current else None
        if line:
            lines.append(line)

    for fragment in _fragments(page):
        for i, piece in enumerate(fragment.text.split("\n")):
            if i > 0:
                flush()
                current = None
            if not piece.strip() and current is None:
                continue
            if i == 0 and current is not None and current.drawn_before(fragment):
                right, current = current, _LineBuilder("", fragment.x, fragment.y, fragment.size)
                current.add(piece, fragment.bold)
                current.after = right
                continue
            if i == 0 and current is not None and current.continues(fragment):
                if current.raised_number(fragment, piece):
                    current.add(piece.strip().translate(_TO_MARK), fragment.bold)
                    continue
                if current.badge(fragment):
                    current = current.for_title(fragment, piece)
                needs_space = fragment.x > current.text_end() + 0.1 * fragment.size
                if needs_space and not current.text[-1:].isspace() and piece[:1] != " ":
                    current.text += " "
                current.add(piece, fragment.bold)
                continue
            flush()
            current = _LineBuilder("", fragment.x, fragment.y, fragment.size)
            current.add(piece, fragment.bold)
    flush()
    body = page_body_size(lines)  # the same whatever the order: read once for both repairs
    return tuple(side_heads_first(title_first(lines, body), body))
