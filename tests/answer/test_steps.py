"""The extractive answer's steps on hand-built passages: no model, no index.

Cosines stand in for the stored sentence vectors, so each step can be checked on its own:
``passes`` (the hard checks), ``score`` (the weights), ``select`` (what joins the best sentence),
``build`` (markers and quotes) and ``decline`` (the closest sections).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from coopqa.answer.asked_name import gives_name
from coopqa.answer.candidates import labels, passes
from coopqa.answer.declines import decline
from coopqa.answer.extractive import Extractor, build
from coopqa.answer.lexicon import lexicon_of
from coopqa.answer.lists import leads_in
from coopqa.answer.question import analyze
from coopqa.answer.records import DECLINED, NO_QUESTION
from coopqa.answer.scoring import idf_table, overlap, score
from coopqa.answer.selection import select
from coopqa.answer.shapes import with_led_items
from coopqa.answer.values import asked_expansions, expands
from coopqa.core.profile import load_profile
from coopqa.core.records import DocInfo
from coopqa.core.settings import AnswerSettings
from coopqa.core.text import bm25_tokens

from ..factories import chunk, line_candidates, passage, sentence_candidates

SETTINGS = AnswerSettings()
EV = lexicon_of(load_profile("ev100plus"))  # the bundled report's words: its countries and adjectives
SECTION = ("III. Trade", "(i) Goods")


def test_passes_wants_the_kind_of_value_asked_for():
    (year, no_year) = sentence_candidates(
        passage("Laos aims for neutrality by 2050. Laos has plans.", section=SECTION)
    )
    info = analyze("When does Laos aim for neutrality?", lexicon=EV)
    assert info.answer_type == "year"
    assert passes(info, year) and not passes(info, no_year)


def test_passes_wants_a_value_the_question_does_not_give():
    (only, later) = sentence_candidates(passage("The 2025 list is done. The 2025 document comes in 2026."))
    when = analyze("On what date will the final 2025 document be published?")
    assert when.answer_type == "year" and not passes(when, only) and passes(when, later)
    text = "A01:2025 Access Control A02:2025 Injection. In the 2025 data it was 3.7."
    (codes, rate) = sentence_candidates(passage(text))
    asked = analyze("What average incidence rate did Access Control have in the 2025 data?")
    assert asked.answer_type == "number" and not passes(asked, codes) and passes(asked, rate)
    (version,) = sentence_candidates(passage("Implementations MUST support Docker Engine API v1.35."))
    assert passes(analyze("Which API version must implementations support?"), version)


def test_passes_wants_a_name_the_question_does_not_give_when_it_asks_who_or_which_company():
    text = (
        "The publication Solving The Bottom Turtle is an excellent resource. "
        "It was written by Daniel Feldman and others. "
        "The market grows at a compound annual growth rate (CAGR) of 32.7%."
    )
    (about, author, rate) = sentence_candidates(passage(text))
    who = analyze("Who wrote Solving The Bottom Turtle?")
    assert who.asks_name and not passes(who, about) and passes(who, author)
    which = analyze("Which institution forecasts the growth rate of the market?")
    assert which.asks_name and not passes(which, rate)  # "CAGR" spells out the words before it
    named = analyze("What is the name of the file format Debian uses?")
    text = "Debian has a file format for this. It is called BUILDINFO."
    (vague, format_) = sentence_candidates(passage(text))
    assert named.asks_name and not passes(named, vague) and passes(named, format_)
    assert not analyze("What kind of body does the report propose?").asks_name
    assert not analyze("How many people work there?").asks_name  # a count is checked as one


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Who helped write the new risk?", True),
        ("Who maintains the Java implementation?", True),
        ("Who is the fund actually meant to help?", False),  # a group as often as a name
        ("What happens to the base fee, and who gets the priority fee?", False),
        ("How long does it take to notice a breach, and who notices?", False),
        ("What change is considered, and who would benefit?", False),
        ("Who benefited from the reform?", False),
        ("Who gets to decide the budget?", True),  # who decides
        ("Who benefits most from the change, Google or Microsoft?", True),  # the names it offers
        ("Who developed the library designed for embedded systems?", True),  # the library is designed for
    ],
)
def test_who_asks_a_name_unless_it_asks_who_gets_or_benefits(question, asks):
    assert analyze(question).asks_name is asks


def test_a_group_answers_whom_a_thing_is_meant_to_help_but_not_who_wrote_it():
    group = sentence_candidates(passage("The fund will focus on the regions that depend on coal."))[0]
    meant = analyze("Who is the fund actually meant to help?")
    assert passes(meant, group) and not passes(analyze("Who wrote the fund's rules?"), group)


def test_which_licence_wants_a_licences_name_and_a_web_address_names_nothing():
    text = (
        "Aichinger's libconf is a pure-Python library with a more permissive license. "
        "It may be found at https://pypi.python.org/pypi/libconf or at www.example.org/libconf. "
        "The library itself is released under the LGPL."
    )
    (vague, address, named) = sentence_candidates(passage(text))
    question = analyze("Which licence does Aichinger's libconf use?")
    assert question.asks_name and not passes(question, vague) and not passes(question, address)
    assert passes(question, named)
    assert not gives_name("It is at pypi.org/project/libconf today.", "Which licence does libconf use?")
    for plain in ("What are the licence terms of libfoo?", "What licence fee does the operator pay?"):
        assert not analyze(plain).asks_name, plain  # no licence's name asked for


def test_what_x_is_called_wants_a_name_a_files_counts_and_a_requirement_word_does_not():
    text = (
        "The configuration file is the manifest of a bundle. "
        "The base directory MUST contain a configuration file. "
        "The filename MUST be bundle.yml and it MUST be located in the base directory."
    )
    (manifest, must, filename) = sentence_candidates(passage(text))
    called = analyze("What does the configuration file have to be called?")
    assert called.asks_name and passes(called, filename)
    assert not passes(called, manifest) and not passes(called, must)  # "MUST" names nothing
    assert analyze("What should the image archive be called, and where does it go?").asks_name
    assert not analyze("What kinds of injection are named as the most common?").asks_name
    for convened in (
        "Why was the strike called?",
        "Where is the cleanup function called?",
        "How is it called?",
    ):
        assert not analyze(convened).asks_name
    (term,) = sentence_candidates(passage("This process is called photosynthesis."))
    assert passes(analyze("What is this process called?"), term)  # a lower-case term it introduces
    (same,) = sentence_candidates(passage("It is called a process."))
    assert not passes(analyze("What is this process called?"), same)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What does the W in OWASP stand for these days?", ("OWASP",)),
        ("What does LMD GHOST stand for?", ("LMD", "GHOST")),
        ("What is SBOMs short for?", ("SBOM",)),
        ("What threat does the box in the SLSA diagram stand for?", ()),  # no acronym right before
        ("What is the OWASP Top Ten?", ()),
    ],
)
def test_asked_expansions(question, asked):
    assert asked_expansions(question) == asked


def test_passes_wants_the_words_an_acronym_stands_for_when_asked():
    text = (
        "The OWASP Top Ten site is online. It is run by the Open Worldwide Application Security "
        "Project. A Software Bill of Materials lists parts. The Belt and Road Initiative grows."
    )
    site, run, bill, belt = sentence_candidates(passage(text))
    owasp = analyze("What does OWASP stand for?")
    assert owasp.expansions == ("OWASP",) and not passes(owasp, site) and passes(owasp, run)
    assert passes(analyze("What do SBOMs stand for?"), bill)  # "of" gives a letter
    assert passes(analyze("What is BRI short for?"), belt)  # "and" gives none
    assert not expands("BRI", "Belt Road") and not expands("OWASP", "the OWASP site")
    assert not expands("CWE", "CWE-326: Weak Encryption") and expands("AFTA", "the ASEAN Free Trade Area")
    # by chance: two letters, or three that open the text, count only beside the acronym itself
    assert not expands("IT", "In Thailand, sales grew.") and not expands("AI", "As I said, it works.")
    assert expands("AI", "Artificial Intelligence (AI) grows.") and not expands("ITS", "In The Sector, yes.")
    assert not expands("A" * 12 + "B", " ".join(["Aa", "a"] * 40))  # many ways to try: each tried once
    assert passes(analyze("What is the OWASP Top Ten?"), site)  # no expansion asked


def test_passes_never_takes_what_a_sentence_says_of_another_name():
    text = "The Shanghai hard fork was scheduled for 2023-04-12. The Paris hard fork came in 2022."
    (shanghai, paris) = sentence_candidates(passage(text))
    info = analyze("On what calendar date did the Paris hard fork take effect?")
    assert not passes(info, shanghai) and passes(info, paris)
    (its,) = sentence_candidates(passage("Its recently updated AI strategy empowers a smart nation."))
    asked = analyze("What does Singapore's recently updated AI strategy empower?")
    assert passes(asked, its)  # "Its" names nothing: a pronoun is no other name


def test_passes_wants_the_value_in_a_clause_of_the_name_asked_about():
    text = (
        "Harbor Metals aims for 22.6% of exports by 2025; Delta Mining expects a revenue of USD 49 billion. "
        "Delta Mining plans a port; its share of exports is 40%."
    )
    (other, own) = sentence_candidates(passage(text))
    info = analyze("What share of exports does Delta Mining want by 2025?")
    assert info.answer_type == "percent" and info.entities
    assert not passes(info, other)  # the share is Harbor Metals', the clause on Delta Mining has none
    assert passes(info, own)  # "its share" names nothing else: the sentence's subject holds it
    assert passes(analyze("What share of exports does Harbor Metals want by 2025?"), other)
    row = "Company: Delta Mining; Export Target: 45% by 2025; Neutral: 2050"
    (cells,) = sentence_candidates(passage(row, kind="table_row", sentences=((0, len(row)),)))
    assert cells.kind == "table_row" and passes(info, cells)  # a row's cells all speak of its first
    (dated,) = sentence_candidates(
        passage("The Shanghai upgrade enabled withdrawals; it was activated in April 2023.")
    )
    assert passes(analyze("When was the Shanghai upgrade activated?"), dated)  # a month names no other thing
    (money,) = sentence_candidates(passage("Delta Mining plans a port; it will invest USD 2 billion in it."))
    assert passes(analyze("How much will Delta Mining invest in its port?"), money)  # nor a currency code


def test_passes_wants_the_questions_numbers_near_the_sentence_not_those_of_a_name():
    text = "Release notes for 2017. CSRF defenses are common, it was found in 5% of apps. Later it fell."
    (_, found, later) = sentence_candidates(passage(text, section=("Release notes 2017",)))
    info = analyze("Why did CSRF drop out of the Top 10 in 2017?")
    assert info.numbers == ("10", "2017") and info.required_numbers == ("2017",)  # "Top 10" is a name
    assert passes(info, found)  # 2017 stands in its heading and the sentence before it
    (plain,) = sentence_candidates(passage("CSRF defenses are common.", section=("Background",)))
    assert not passes(info, plain)  # 2017 stands nowhere near it
    assert passes(analyze("Why did CSRF drop in 2017?"), later)  # the sentence before says 2017


def test_a_number_inside_a_label_is_none_and_any_heading_may_give_the_questions_number():
    info = analyze("In what format does A10:2017 say logs should be generated?")
    assert info.required_numbers == ("2017",)  # not the "0" of "A10"
    assert analyze("What CVSS score does CVE-2017-5638 have?").numbers == ()
    text = "Ensure that logs are generated in a format a log server reads."
    (under,) = sentence_candidates(passage(text, section=("A10:2017 Thin Logs", "How to Prevent")))
    assert passes(info, under)  # the page's title over "How to Prevent" frames it
    (elsewhere,) = sentence_candidates(passage(text, section=("A9:2013 Old Parts", "How to Prevent")))
    assert not passes(info, elsewhere)


def test_passes_wants_the_named_country_here_or_just_before():
    text = "Vietnam signed the pact in 2021. It aims for 2050."
    cands = sentence_candidates(passage(text, section=SECTION))
    assert passes(analyze("When does Vietnam aim for neutrality?", lexicon=EV), cands[1])  # "It" is Vietnam
    assert not passes(analyze("When does Malaysia aim for neutrality?", lexicon=EV), cands[0])
    # no profile: a name need not stand in the sentence, only in its passage
    assert passes(analyze("When did Vietnam sign for neutrality?"), cands[1])
    assert not passes(analyze("When does Malaysia aim for neutrality?"), cands[0])


def test_passes_wants_a_value_from_a_passage_that_names_what_is_asked_about():
    text = "The appropriate version for a compendium is 1."
    (version,) = sentence_candidates(passage(text, section=("Config",)))
    assert passes(analyze("Which version does the compendium use?"), version)
    assert not passes(analyze("Which Python version does the compendium require?"), version)
    assert passes(analyze("What does the compendium say about Python?"), version)  # no value asked


def test_passes_never_takes_a_label_line_of_the_text():
    text = "Runtime image\nThe image MUST have a tag erc:<id>."
    lines = ((0, 13), (14, len(text)))  # ingest keeps a bold label line a sentence of its own
    label, statement = sentence_candidates(passage(text, section=SECTION, sentences=lines))
    info = analyze("How must the runtime image be tagged?")
    assert label.text == "Runtime image" and not passes(info, label)
    assert passes(info, statement)
    (dated,) = sentence_candidates(passage("Image tagged 2021", section=SECTION))
    assert passes(info, dated)  # a figure makes a short line a statement


def test_passes_never_takes_a_line_of_a_table_of_contents():
    text = "A10:2017 - Insufficient Logging & Monitoring ..............\nLogs MUST be kept in a format."
    lines = ((0, 59), (60, len(text)))
    entry, statement = sentence_candidates(passage(text, section=SECTION, sentences=lines))
    info = analyze("In what format does A10:2017 say logs should be kept?")
    assert entry.text.endswith("....") and not passes(info, entry) and passes(info, statement)
    paged_text = "Build Pipelines ........ 12"
    (paged,) = sentence_candidates(passage(paged_text, section=SECTION, sentences=((0, len(paged_text)),)))
    assert passes(analyze("On which page do build pipelines start?"), paged)  # it gives a page


def test_passes_never_answers_why_with_a_title_line():
    text = "A8:2017 - Insecure Deserialization\nDeserialization often leads to remote code execution."
    lines = ((0, 34), (35, len(text)))
    title, statement = sentence_candidates(passage(text, section=SECTION, sentences=lines))
    why = analyze("Why is insecure deserialization on the list?")
    assert why.shape == "reason" and not passes(why, title) and passes(why, statement)
    assert passes(analyze("Which risk is eighth on the 2017 list?"), title)  # a title may name a thing


def test_a_question_the_text_asks_is_answered_by_what_follows_it():
    """A manual's own "Why ...? Shouldn't ...?" matches the reader's question best; the sentence
    after it answers: it is read with the question (words and cosine), the question never is."""
    text = (
        "The call copies the pixels. Why must the caller give the number of lines? "
        "The library does not need every line in one call. Programs write lines one at a time."
    )
    cands = sentence_candidates(passage(text))
    copies, question, answer, _ = cands
    info = analyze("Why does the call need the number of lines?")
    assert not passes(info, question) and passes(info, answer)
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    cosines = np.array([0.5, 0.9, 0.4, 0.3])
    scores, _ = score(info, cands, cosines, idf, SETTINGS)
    assert scores[2] > max(scores[0], scores[3])
    plain, _ = score(info, [copies, answer], np.array([0.5, 0.4]), idf, SETTINGS)
    assert scores[2] > plain[1]  # the question's cosine and words, not its own alone
    chosen = select(info, sorted(zip(scores, cands), key=lambda sc: -sc[0]), SETTINGS)
    assert chosen and chosen[0] is answer


def test_a_sentence_ending_in_a_question_mark_may_state_and_a_filler_after_a_question_gains_nothing():
    """A title that ends in "?" is no question the text asks; the sentence after a question takes
    its cosine only when it speaks of what the reader asks ("Many people have asked this." does not)."""
    from coopqa.answer.candidates import asks

    assert asks("Shouldn't the object derive it?") and asks("Q: How do I reset my password?")
    assert not asks("In 2019 she published the book Who Moved the Lake?")
    cands = sentence_candidates(
        passage("Why is the sky blue? Many people have asked this over the years.", id="a"),
        passage("During the day the air scatters short blue wavelengths more strongly.", id="b"),
    )
    info = analyze("Why is the sky blue during the day?")
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    scores, _ = score(info, cands, np.array([0.9, 0.2, 0.7]), idf, SETTINGS)
    chosen = select(info, sorted(zip(scores, cands), key=lambda sc: -sc[0]), SETTINGS)
    assert [c.text for c in chosen][:1] == [cands[2].text]


def test_a_row_under_a_tables_header_line_is_read_with_it():
    """A table without a caption, read as rows of text: the line of words over them says what
    their figures are, so a row answers "how many" of the thing its header counts."""
    text = (
        "The number of lines per block depends on the compression:\n\n"
        "compression method number of scan lines per block\n\n"
        "NO_COMPRESSION 1\n\nZIP_COMPRESSION 16\n\nPXR24_COMPRESSION 16\n\n"
        "Each block has a y coordinate."
    )
    rows = {c.text: c for c in line_candidates(text)}  # a block each, as ingest has them
    row = rows["PXR24_COMPRESSION 16"]
    assert row.header == "compression method number of scan lines per block"
    assert rows["Each block has a y coordinate."].header == ""
    info = analyze("How many scan lines go into one block with PXR24 compression?")
    assert info.answer_type == "count" and passes(info, row)
    assert not passes(info, rows["The number of lines per block depends on the compression:"])
    from coopqa.answer.tables import header_rows

    assert header_rows("Supported platforms\n\nWindows 10\n\nmacOS 14\n\nUbuntu 22.04") == ()  # names
    assert header_rows("Name Size\n\nA 1\n\nsome\nwrapped text\n\nB 2") == ()  # a paragraph ends it


def test_score_weights_cosine_overlap_and_rank():
    cands = sentence_candidates(
        passage("Exports of rice rose.", score=1.0, id="a"), passage("Rice.", score=0.5, id="b")
    )
    info = analyze("Did exports of rice rise?")
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    scores, _ = score(info, cands, np.array([0.8, 0.8]), idf, SETTINGS)
    lexical = overlap(info.tokens, bm25_tokens("Exports of rice rose."), idf)
    assert scores[0] == SETTINGS.w_cos * 0.8 + SETTINGS.w_lex * lexical + SETTINGS.w_rank * 1.0
    assert scores[0] > scores[1]


def test_a_heading_word_counts_in_the_overlap_but_does_not_make_a_sentence_answer():
    under = passage("The preferred option is a safe API.", section=("Risks", "Prevention"), id="a")
    cands = sentence_candidates(under, passage("Scanners find flaws.", section=("Injection",), id="b"))
    info = analyze("What is the preferred option against injection?")
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    cosines = np.array([0.5, 0.5])
    plain, no_gains = score(info, cands, cosines, idf, replace(SETTINGS, heading_share=0.0))
    scores, gains = score(info, cands, cosines, idf, replace(SETTINGS, heading_share=1.0))
    assert no_gains == [0.0, 0.0] and gains[0] == 0.0  # "Risks / Prevention": no word of the question
    assert gains[1] > 0 and scores[1] == pytest.approx(plain[1] + gains[1])  # "Injection" does
    ranked = [(SETTINGS.threshold + 0.01, cands[1])]
    assert select(info, ranked, SETTINGS) == [cands[1]]
    assert select(info, ranked, SETTINGS, {id(cands[1]): 0.02}) == []  # only its heading lifted it


def test_the_heading_a_subsection_is_under_counts_too_but_not_the_one_above_it():
    """ "A1 Injection / How to Prevent": the risk's title names what its "How to Prevent" is about;
    the document's title two levels up names what every page is about."""
    text = "The preferred option is a safe API."
    parent = passage(text, section=("Top Risks", "A1 Injection", "How to Prevent"), id="a")
    grandparent = passage(text, section=("Injection Risks", "A1 Overview", "How to Prevent"), id="b")
    cands = sentence_candidates(parent, grandparent)
    info = analyze("What is the preferred option against injection?")
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    _, gains = score(info, cands, np.array([0.5, 0.5]), idf, replace(SETTINGS, heading_share=1.0))
    assert gains[0] > 0 and gains[1] == 0.0


def test_a_label_line_heads_the_sentences_below_it_up_to_the_next():
    text = (
        "Services differ.\n\nZenodo\n\n• Mandatory elements: – Upload Type – Title\n\n"
        "DataCite (4.0)\n\n• Mandatory elements: – Identifier – Creator\n\nF Byzantium 4370000\n\nEnd."
    )
    assert [line for _, line in labels(text)] == ["Zenodo", "DataCite (4.0)"]  # a figure ends no label
    assert labels("Acme\n\nBeta Corp\n\nGamma Ltd") == ()  # a run of short lines is a list
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]  # as ingest: block by block
    cands = sentence_candidates(passage(text, section=("Preservation",), id="a", sentences=tuple(paragraphs)))
    by_text = {c.text: c for c in cands}
    assert by_text["Services differ."].label == ""
    assert by_text["• Mandatory elements: – Upload Type – Title"].label == "Zenodo"
    assert by_text["• Mandatory elements: – Identifier – Creator"].label == "DataCite (4.0)"
    info = analyze("Which elements are mandatory for Zenodo?")
    idf = idf_table([bm25_tokens(c.text) for c in cands])
    _, gains = score(info, cands, np.full(len(cands), 0.5), idf, replace(SETTINGS, heading_share=1.0))
    gained = {c.text for c, g in zip(cands, gains) if g}
    assert "• Mandatory elements: – Upload Type – Title" in gained  # "zenodo" from its label
    assert "• Mandatory elements: – Identifier – Creator" not in gained


def test_select_declines_under_the_threshold_and_keeps_the_best_first():
    cands = sentence_candidates(passage("Thailand targets 30% by 2030. Rice grows well.", section=SECTION))
    info = analyze("What share of production does Thailand target by 2030?", lexicon=EV)
    assert select(info, [(0.9, cands[0]), (0.2, cands[1])], SETTINGS) == [cands[0]]
    assert select(info, [(SETTINGS.threshold - 0.01, cands[0])], SETTINGS) == []


def test_select_gives_each_named_country_its_sentence():
    cands = sentence_candidates(
        passage("Country: Thailand; Neutrality: 2050", id="t", kind="table_row", caption="Table 1"),
        passage("Country: Vietnam; Neutrality: 2050", id="v", kind="table_row", caption="Table 1"),
    )
    info = analyze("When do Thailand and Vietnam aim to be neutral?", lexicon=EV)
    chosen = select(info, [(0.9, cands[0]), (0.8, cands[1])], SETTINGS)
    assert [c.passage.chunk_id for c in chosen] == ["t", "v"]


def test_a_name_or_number_the_best_sentences_heading_gives_needs_no_sentence_of_its_own():
    scenario = "Scenario #3 : A retailer had a sandbox. It was found by an external bank."
    first, second, other = sentence_candidates(
        passage(scenario, id="p16", section=("A10:2017 Thin Logs", "Example Attack Scenarios")),
        passage("This update adds A8:2017 and A10:2017 as new issues.", id="p3", section=("Welcome",)),
    )
    info = analyze("How was the retailer's breach in A10:2017's Scenario #3 found?")
    assert info.entities == ("A10", "Scenario") and info.required_numbers == ("2017", "3")
    ranked = [(0.7, first), (0.6, other), (0.55, second)]
    assert other not in select(info, ranked, SETTINGS)  # A10 and 2017 stand in the heading over the best
    bare = sentence_candidates(passage(scenario, id="p16", section=("Example Attack Scenarios",)))[0]
    assert other in select(info, [(0.7, bare), (0.6, other)], SETTINGS)  # here nothing else names A10


def test_a_frame_naming_every_part_or_a_tables_caption_covers_no_part():
    def chosen(question: str, *texts_and_frames) -> list[str]:
        cands = sentence_candidates(
            *(passage(t, id=f"p{i}", **kw) for i, (t, kw) in enumerate(texts_and_frames))
        )
        ranked = [(0.8 - 0.2 * i, c) for i, c in enumerate(cands)]
        return [c.text for c in select(analyze(question), ranked, SETTINGS)]

    both = "4 Norway and Chile compared"
    norway, chile = "Norway sold oil and gas in 2022.", "Chile sold copper and lithium in 2022."
    parts = [(norway, {"section": (both, "4.1 Norway")}), (chile, {"section": (both, "4.2 Chile")})]
    assert chosen("What did Norway and Chile sell in 2022?", *parts) == [norway, chile]
    row = {
        "kind": "table_row",
        "caption": "Table 2: Targets of Norway, Chile and Peru",
        "columns": ("Country", "Target"),
    }
    rows = [
        ("Country: Norway; Target: 55% cut by 2030", row),
        ("Country: Chile; Target: neutral by 2050", row),
    ]
    assert len(chosen("What are the targets of Norway and Chile?", *rows)) == 2
    history = {"section": ("3 Release history", "3.1 Changes")}
    versions = [("Version 2 added offline mode.", history), ("Version 3 removed the importer.", history)]
    assert len(chosen("What changed in versions 2 and 3?", *versions)) == 2  # "3" numbers the section


def test_a_heading_above_gives_a_whole_number_only():
    info = analyze("What happens to an account after 3 failed sign-in attempts?")
    text = "Accounts lock after repeated failed sign-in attempts."
    (report,) = sentence_candidates(passage(text, section=("Annual Report 2023", "Lockout")))
    assert not passes(info, report)  # the "3" of "2023" is no 3
    (numbered,) = sentence_candidates(passage(text, section=("3 Authentication", "Lockout")))
    assert not passes(info, numbered)  # a section's number is no value
    (three,) = sentence_candidates(passage(text, section=("Lockout after 3 failures", "Details")))
    assert passes(info, three)


def _ranked_rows(*rows: tuple[str, str]) -> list:
    """Rows of one table ("Table 1": Country, Peaking, Neutrality) as ranked candidates, in order."""
    columns = ("Country", "Peaking", "Neutrality")
    cands = sentence_candidates(
        *(passage(text, id=i, kind="table_row", caption="Table 1", columns=columns) for i, text in rows)
    )
    return [(0.9 - 0.01 * n, c) for n, c in enumerate(cands)]


def test_a_list_over_a_table_gathers_every_row_whose_asked_cell_matches():
    ranked = _ranked_rows(
        ("t", "Country: Thailand; Peaking: 25% reduction from BAU by 2030; Neutrality: 2050"),
        ("s", "Country: Singapore; Peaking: 2030; Neutrality: 2060"),
        ("v", "Country: Vietnam; Peaking: 9% reduction from BAU by 2030; Neutrality: 2050"),
        ("m", "Country: Myanmar; Neutrality: 2050"),
    )
    by_bau = analyze("Which countries state their peaking target as a reduction from BAU?", lexicon=EV)
    assert by_bau.shape == "list"
    assert [c.passage.chunk_id for c in select(by_bau, ranked, SETTINGS)] == ["t", "v"]
    by_year = analyze("Which countries aim for neutrality by 2050?", lexicon=EV)
    ranked_m = sorted(ranked, key=lambda sc: sc[1].passage.chunk_id != "m")  # Myanmar's row best
    chosen = select(by_year, ranked_m, SETTINGS)
    assert sorted(c.passage.chunk_id for c in chosen) == ["m", "t", "v"]  # not Singapore (2060)


def test_a_row_never_answers_for_a_generic_name_it_does_not_hold():
    ranked = _ranked_rows(
        ("k", "Country: Cambodia; Peaking: 41.7% reduction from BAU by 2030; Neutrality: 2050"),
        ("l", "Country: Laos; Peaking: 60% reduction from BAU by 2030; Neutrality: 2050"),
    )
    # "China" and "BAU" are generic names of the bundled report (its running header, its profile)
    china = analyze("What neutrality year does the commitments table give for China?", lexicon=EV)
    assert china.entities == () and "China" in china.generic_names
    assert not any(passes(china, c) for _, c in ranked)  # no row is China's: the table does not say
    bau = analyze("Which countries pledged a cut from BAU?", lexicon=EV)
    assert "BAU" in bau.generic_names and all(passes(bau, c) for _, c in ranked)  # BAU stands in each row


def test_a_superlative_over_a_table_picks_the_row_with_the_extreme_value():
    ranked = _ranked_rows(
        ("t", "Country: Thailand; Peaking: 25% reduction from BAU by 2030; Neutrality: 2050"),
        ("s", "Country: Singapore; Peaking: 2030; Neutrality: 50% reduction by 2050"),
        ("l", "Country: Laos; Peaking: 60% reduction from BAU by 2030; Neutrality: 2050"),
        ("i", "Country: Indonesia; Peaking: 2030; Neutrality: 2060"),
    )

    def picked(question):
        return [c.passage.chunk_id for c in select(analyze(question, lexicon=EV), ranked, SETTINGS)]

    assert picked("Which country pledges the largest cut from BAU?") == ["l"]  # 60 %, among BAU rows
    assert picked("Which country pledges the smallest cut from BAU?") == ["t"]
    assert picked("Which country has the latest neutrality target?") == ["i"]  # 2060; not "50%"


def test_build_numbers_citations_and_quotes_verbatim():
    first = passage("Laos aims for 2050. Other text.", id="a", section=SECTION, pages=("7",))
    cands = sentence_candidates(first)
    answer = build("When?", "When?", analyze("When?"), [cands[0]])
    assert answer.text == "Laos aims for 2050. [1]" and answer.answered
    quote = answer.quotes[0]
    assert first.text[quote.start : quote.end] == quote.text and quote.pages == ("7",)
    assert answer.cite(1) == "III.(i) Goods — p. 7" and answer.page_text(1) == "p. 7"


def test_decline_names_the_closest_sections_and_its_scope():
    near = [passage("x", section=SECTION, pages=("9",), physical_pages=(8,))]
    answer = decline("How many?", "How many?", near, many_docs=False, doc="d.pdf")
    assert not answer.answered and not answer.citations and answer.scope == "report"
    assert answer.closest == ("III.(i) Goods (p. 9)",)
    assert answer.text == f"{DECLINED} (1 document: d.pdf) Closest sections: III.(i) Goods (p. 9)."
    several = decline("q", "q", near, many_docs=True)
    assert several.scope == "documents" and several.text.startswith(f"{DECLINED} Closest sections: ")


def test_an_empty_question_is_asked_for_not_declined():
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    extractor = Extractor([chunk("Laos grows rice.", id="a")], np.eye(1, dtype=np.float32), [doc], SETTINGS)
    for empty in ("", " \t\n "):
        answer = extractor.decline(empty, "", [])
        assert answer.text == NO_QUESTION == "Type a question." and not answer.answered
        assert not answer.citations and not answer.closest


def test_extractor_runs_the_steps_with_stored_sentence_vectors():
    body = chunk("Laos aims for neutrality by 2050. Laos grows rice.", id="a", section=SECTION)
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    vectors = np.eye(2, dtype=np.float32)  # sentence 0 points one way, sentence 1 the other
    extractor = Extractor([body], vectors, [doc], SETTINGS)
    found = [passage(body.text, score=1.0, id="a", section=SECTION)]
    answer = extractor.answer("When?", "When does Laos aim for neutrality?", found, lambda text: vectors[0])
    assert answer.text == "Laos aims for neutrality by 2050. [1]"
    assert not extractor.answer("When?", "When does Laos aim?", [], lambda text: vectors[0]).answered


def _best_first(cands) -> list:
    """The first candidate scored well above the rest, in their order."""
    return [(0.9, cands[0]), *[(0.1, c) for c in cands[1:]]]


def _chosen(text: str, question: str, settings: AnswerSettings = SETTINGS) -> list[str]:
    """The sentences ``select`` keeps for ``question`` from one passage of ``text``, its first
    sentence scored best."""
    ranked = _best_first(sentence_candidates(passage(text)))
    return [c.text for c in select(analyze(question), ranked, settings)]


def test_a_lead_in_brings_the_items_that_follow_it():
    body = "The stages are: • Source code • Materials • Build pipelines Other text follows here."
    assert _chosen(body, "What stages does the paper walk through?") == [
        "The stages are:",
        "• Source code",
        "• Materials",
        "• Build pipelines Other text follows here.",
    ]


def test_a_sentence_announcing_the_following_things_leads_in_to_them():
    body = (
        "The file MUST contain the following string nodes at the root level. "
        "• spec_version: the version • id: the identifier Other text."
    )
    assert _chosen(body, "Which string nodes must the file contain?")[:3] == [
        "The file MUST contain the following string nodes at the root level.",
        "• spec_version: the version",
        "• id: the identifier Other text.",
    ]
    assert not leads_in("Exports doubled in the following year.")
    body = (
        "The crucial difference between the two models is this. "
        "When a function is applied, its arity and the number of arguments meet at run time. "
        "Other text follows."
    )
    chosen = _chosen(body, "What is the difference between the two models?")
    assert chosen[:2] == [
        "The crucial difference between the two models is this.",
        "When a function is applied, its arity and the number of arguments meet at run time.",
    ]
    assert not leads_in("The answer is in this.") and not leads_in("This is it.")


def test_a_lead_in_chosen_after_the_best_brings_what_it_announces():
    body = "It is third now. Rice grows. It is ranked third because: • It topped the survey • It grows fast"
    best, rice, lead, first, second = sentence_candidates(passage(body))
    pool = [best, rice, lead, first, second]
    assert with_led_items([best, lead], pool) == [best, lead, first, second]  # the whole block
    assert with_led_items([best, rice], pool) == [best, rice]  # no lead-in: as chosen
    (alone,) = sentence_candidates(passage("It is ranked third because:"))
    assert with_led_items([best, alone], [best, alone]) == [best]  # announces nothing shown


def test_a_short_label_over_bullets_brings_them_a_sentence_does_not():
    question = "Which elements are mandatory for DataCite?"
    body = "DataCite (4.0) • Accepts metadata as XML. • Mandatory elements: Creator, Title"
    assert _chosen(body, question) == [
        "DataCite (4.0)",
        "• Accepts metadata as XML.",
        "• Mandatory elements: Creator, Title",
    ]
    stated = "Zenodo needs little. • Accepts metadata as JSON. • Rice grows."
    assert _chosen(stated, question) == ["Zenodo needs little."]  # a sentence, not a label


def test_a_labelled_opener_brings_the_sentences_that_tell_it_up_to_the_next_label():
    story = (
        "Scenario #2 : Directory listing is not disabled on the server. An attacker lists the "
        "directories. The attacker downloads the compiled classes. Scenario #3 : Another one."
    )
    question = "Why is directory listing a problem?"
    assert _chosen(story, question) == [
        "Scenario #2 : Directory listing is not disabled on the server.",
        "An attacker lists the directories.",
        "The attacker downloads the compiled classes.",
    ]
    longer = story.replace(" Scenario #3", " They decompile them. They find a flaw. Scenario #3")
    assert _chosen(longer, question)[1:] == [  # three sentences at most
        "An attacker lists the directories.",
        "The attacker downloads the compiled classes.",
        "They decompile them.",
    ]
    long = "Note: directory listing is not disabled on the server where the whole application runs today."
    told = long + " An attacker lists the directories.\n\nRice grows."
    assert _chosen(told, question, replace(SETTINGS, explain_reach=0)) == [long]  # not a short label
    # a why answered by one sentence: what follows on its words explains it (shapes.with_explanation),
    # up to the end of the paragraph; a new paragraph on something else does not
    assert _chosen(told, question) == [long, "An attacker lists the directories."]


def test_a_sentence_pointing_back_goes_with_the_best_one_for_explain_questions():
    body = passage("Talent support matters a lot here. This involves building a talent database. Rice grows.")
    cands = sentence_candidates(body)
    ranked = [(0.9, cands[0]), (0.2, cands[1]), (0.1, cands[2])]
    explain = select(analyze("What should be created for talent?"), ranked, SETTINGS)
    assert [c.text for c in explain] == [cands[0].text, cands[1].text]
    off = select(analyze("What should be created for talent?"), ranked, AnswerSettings(continuations=False))
    assert off == [cands[0]]


def test_extractor_answers_each_part_of_a_two_part_question():
    body = chunk("The file must be named erc.yml. It sits in the base directory. Cats sleep.", id="a")
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    vectors = np.eye(3, dtype=np.float32)
    extractor = Extractor([body], vectors, [doc], SETTINGS)
    found = [passage(body.text, score=1.0, id="a")]
    aims = {"What must the file be named": vectors[0], "where does it go?": vectors[1]}
    answer = extractor.answer("q", "What must the file be named, and where does it go?", found, aims.get)
    assert "erc.yml" in answer.text and "base directory" in answer.text and answer.note == ""


def test_a_part_is_aimed_by_itself_and_by_its_setting_together():
    text = "Within the block, rows run top to bottom. Names sort alphabetically. Pixels go right."
    body = chunk(text, id="a")
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    vectors = np.eye(3, dtype=np.float32)
    extractor = Extractor([body], vectors, [doc], SETTINGS)
    aims = {  # with its setting, the first part is nearer the sentence on the setting's words
        "Inside the block, in what order are channels kept": 0.8 * vectors[0] + 0.6 * vectors[1],
        "in what order are channels kept": vectors[1],
        "Inside the block, in which way do pixels go?": vectors[2],
        "in which way do pixels go?": vectors[2],
    }
    question = "Inside the block, in what order are channels kept, and in which way do pixels go?"
    answer = extractor.answer("q", question, [passage(body.text, score=1.0, id="a")], aims.get)
    assert answer.text == "Names sort alphabetically. [1] Pixels go right. [1]"


def _two_part(text: str, aim: int, cosine: float = 0.45):
    """The answer to a two-part question over one passage of ``text`` (one row per sentence),
    the second part aimed weakly (``cosine``) at sentence ``aim``: with the passage's rank it
    scores just under the threshold at 0.45, far under it at 0.1."""
    body = chunk(text, id="a")
    doc = DocInfo("d.pdf", "/d.pdf", "0" * 64, 1, ("7",), 1, "now")
    vectors = np.eye(len(body.sentences), dtype=np.float32)
    extractor = Extractor([body], vectors, [doc], SETTINGS)
    aims = {"When was the survey open": vectors[0], "how many people responded?": cosine * vectors[aim]}
    question = "When was the survey open, and how many people responded?"
    return extractor.answer("q", question, [passage(body.text, score=1.0, id="a")], aims.get)


def test_a_part_just_under_the_threshold_is_answered_beside_the_other_parts_sentence():
    beside = _two_part("The survey was open in May 2017. 516 responses were collected. Cats sleep.", 1)
    assert beside.text == "The survey was open in May 2017. [1] 516 responses were collected. [1]"
    assert beside.note == ""
    missing = "The documents do not answer: how many people responded?"
    apart = _two_part("The survey was open in May 2017. Cats sleep. 516 responses were collected.", 2)
    assert apart.text == "The survey was open in May 2017. [1]" and apart.note == missing  # elsewhere
    far = _two_part("The survey was open in May 2017. 516 responses were collected. Cats sleep.", 1, 0.1)
    assert far.text == "The survey was open in May 2017. [1]" and far.note == missing  # too weak


def test_a_why_or_how_takes_no_sentence_from_another_passage_for_its_words_but_goes_on_in_its_own():
    topic = passage(
        "We approximate random numbers with data unknown when transacting. Such data includes the "
        "block hash. One should use hashes of previous blocks as random numbers. Cats sleep.",
        score=1.0,
        id="a",
    )
    other = passage("Contracts follow patterns; two of these are data feeds and random numbers.", id="b")
    cands = sentence_candidates(topic, other)
    ranked = [(0.62, cands[0]), (0.55, cands[4]), (0.5, cands[2]), (0.37, cands[1]), (0.1, cands[3])]
    chosen = select(
        analyze("How does the paper suggest getting random numbers inside a contract?"), ranked, SETTINGS
    )
    assert chosen == cands[:3]  # the run of its own passage, not the other passage's sentence
    what = select(analyze("What do contracts use for random numbers?"), ranked, SETTINGS)
    assert cands[4] in what  # any other question still takes a sentence that adds its words
