"""A text layer of glyph codes without letters is told from text in any script."""

from __future__ import annotations

import pytest

from coopqa.core.records import Line
from coopqa.ingest.pdflines import clean_pdf_text
from coopqa.ingest.textlayer import MIN_CHARS, garbled, odd_share, readable_lines


def _lines(*texts: str) -> tuple[Line, ...]:
    """Lines as the PDF reader gives them (cleaned as every PDF line is)."""
    return tuple(
        Line(clean_pdf_text(text), 60.0, 700.0 - 14 * i, 10.0, False) for i, text in enumerate(texts)
    )


@pytest.mark.parametrize(
    "texts",
    [
        ("\x86ÿbÿ\x01\x00Iþ \x02 \x03\x05\x04\x07\x06 \x08 \x0f\x0e\x11\x10\x12\x04\x14\x13\x15",) * 2,
        ("ã5 ©¤\x94¦\x90\x9a ̈\x96\x8fo]3⁄47\x9f?©\x9ea«(Ú,±E°ÐÂFÃ&°r®×ÃÙÔ", "Ú£«£Ãú®×«È±»Á ®\x91ÂÐÅ¤¿?1"),
        ("¬ÁÎÔÅÒÎÓ\x80ÁÒÅ\x80ÌÉÔ\x80ÁÔ\x80ÄÕÓË\x80ÄÕÒÉÎÇ\x80ÔÈÅ\x80ÆÅÓÔÉÖÁÌ\x8e",),
    ],
)
def test_glyph_codes_are_garbled(texts):
    assert garbled(_lines(*texts))


@pytest.mark.parametrize(
    "texts",
    [
        ("The trade volume between the two regions reached USD 926.55 billion in 2023.",),
        ("贸易额在2023年达到9265.5亿美元，新能源汽车合作不断深化。", "双方将加强充电标准的对接。"),
        ("日本語の文章です。これは\ue000テストです。" * 3, "外字\ue001を含む行です。© 2024 出版社"),
        ("Die Fundamentalgruppe ist eine Invariante; für »zusammenhängende« Räume gilt:",),
        ("Sei x ∈ U1, y ∈ U2 und f(x) ≤ 2π · r², dann ist A ∩ B ≠ ∅ (Beweis: § 3.1).",),
        ("Price £12.50 ±0.5 at 25°C", "Yield 37.5% (µg) ¥900 · 4,200 units · A–Z"),
        ("«Dove vai?» chiese la madre. «Al mercato», rispose lui. «Torna presto!»",),
        ("ООО «Газпром добыча Уренгой» — 100 %; АО «Газпром газораспределение» — 100 %",),
        ("Il a dit «bonjour» puis «au revoir» et «merci». ¿Qué pasa? ¡Nada! Intel® Core™ ©2011",),
        ("¬p ∨ q ≡ p → q; ¬(p ∧ q) ≡ ¬p ∨ ¬q; ¬¬p ≡ p and ¬(¬p ∨ ¬q) ≡ p ∧ q",),
    ],
)
def test_text_in_any_script_quotes_maths_and_figures_is_not(texts):
    lines = _lines(*texts)
    assert odd_share("\n".join(line.text for line in lines))[0] < 0.1 and not garbled(lines)


def test_a_few_odd_glyphs_in_a_page_of_text_or_a_short_line_are_not():
    page = ["The nodes between the first visits are kept in order."] * 6 + ["\x00\x02\x01 \x06 \x07"]
    assert odd_share("\n".join(page))[0] < 0.1 and not garbled(_lines(*page))
    short = "\x86ÿbÿ\x01"
    assert len(short) < MIN_CHARS and not garbled(_lines(short))


def test_the_readable_lines_of_a_garbled_page_are_kept():
    good = ["The guild sells nine hundred lanterns a year to the valley."] * 3
    noise = ["¬ÁÎÔÅÒÎÓ\x80ÁÒÅ\x80ÌÉÔ\x80ÁÔ\x80ÄÕÓË\x80ÄÕÒÉÎÇ\x80ÔÈÅ\x80ÆÅÓÔÉÖÁÌ\x8e"] * 4
    lines = _lines(*good, *noise)
    assert garbled(lines)
    assert [line.text for line in readable_lines(lines)] == good
