"""Answers of a shape: list and "why" questions, on hand-built passages (no model, no index)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopqa.answer.lists import ITEM, leads_in, list_items, stated_count
from coopqa.answer.question import analyze, answer_shape
from coopqa.answer.selection import select
from coopqa.answer.shapes import (
    enumerates,
    gives_reason,
    shape_bonus,
    with_explanation,
    with_list,
    with_reason,
)
from coopqa.core.settings import AnswerSettings
from coopqa.core.text import sentence_spans

from ..factories import line_candidates, passage, sentence_candidates

SETTINGS = AnswerSettings()


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("Which metadata elements are mandatory for Zenodo?", "list"),
        ("What stages of the supply chain does the guide walk through?", "list"),
        ("Apart from Wei, which denominations of Ether are listed?", "list"),
        ("What are the main challenges for the partners?", "list"),
        ("What kinds of data are included?", "list"),
        ("Why is it a bad idea to use the latest tag?", "reason"),
        ("What is the reason for the delay?", "reason"),
        ("What is the status of the project?", ""),
        ("What does this process involve?", ""),
        ("How many stages are there?", ""),  # a count, not a list
        ("What happens to the fee?", ""),  # a verb in -s, not a plural noun
        ("What contributes to the delay?", ""),
        ("What makes up the board?", ""),  # not "why"
        ("What makes the tag risky?", "reason"),
        ("Which country has the most posts?", ""),
        ("In which years did exports grow?", ""),  # a value: its type decides
        ("Which countries target carbon neutrality in 2050?", "list"),  # a plural noun, a verb
        ("Which tools generate SBOMs?", "list"),
        ("What steps followed the launch?", "list"),
        ("Which process works best?", ""),  # "works" is the verb, "best" no verb
        ("Which fork came first?", ""),
        ("Which class file holds the data?", ""),
        ("How should testers hand over their findings?", "method"),
        ("How does the build farm detect a tampered host?", "method"),
        ("How long does detection take?", ""),  # a value: its type decides
        ("How much was invested?", ""),
        ("How widespread is XSS?", ""),  # a degree
        ("Why does the checksum differ from the stored one?", "reason"),  # a reason, not a comparison
        ("How does qsort use the compare callback?", "method"),
        ("How do I compare two strings?", "method"),  # how to, not how two things differ
        ("How does a hart differ from a core?", "compare"),
        ("How does Rust compare against Go?", "compare"),
        ("How do the two formats compare in size?", "compare"),
        ("How do the results differ across regions?", "compare"),
    ],
)
def test_answer_shape(question, shape):
    assert answer_shape(question) == shape
    assert analyze(question).shape == shape


def test_enumerates_wants_three_short_items():
    assert not enumerates("Revenue reached 1,250,000 dollars in the year.")  # a number, not a list
    assert not enumerates("The meeting began at 10:30 and ended later.")
    assert enumerates("The statuses are (AFFECTED, NOT AFFECTED, UNDER INVESTIGATION, FIXED).")
    assert enumerates("Mandatory elements: – Identifier – Creator – Title")
    assert not enumerates("The information can be used to assess the risk and identify mitigations.")
    assert not enumerates("In the rest of this document, we give an overview of concepts, then practices.")
    assert enumerates("1 Kilo 1000 Mega 1000000 Giga")  # a table's rows the page gave as one line
    assert not enumerates("In 2020 Exports rose by 12 percent.")


def test_shape_bonus_only_for_the_shape_asked():
    listing = "Members are Alpha, Beta, Gamma and Delta."
    assert shape_bonus(analyze("Which members are listed?"), listing, SETTINGS) == SETTINGS.list_bonus
    assert shape_bonus(analyze("Who chairs the board?"), listing, SETTINGS) == 0.0
    reason = "The tag moves, because anyone can push it."
    assert shape_bonus(analyze("Which members are listed?"), reason, SETTINGS) == 0.0


def test_a_list_question_gets_the_lead_in_and_its_bullets():
    text = (
        "We give an overview of the supply chain before its practices. "
        "There are some general steps used by most chains. The stages are:\n"
        "• Source code\n• Materials\n• Artifacts"
    )
    cands = sentence_candidates(passage(text))
    info = analyze("What stages of the supply chain are there?")
    ranked = [(0.8, cands[0]), (0.75, cands[1]), (0.3, cands[2])] + [(0.2, c) for c in cands[3:]]
    chosen = select(info, ranked, SETTINGS)
    texts = [c.text for c in chosen]
    assert texts[0].startswith("We give an overview")
    assert "The stages are:" in texts  # scored with the sentence before it, which names the steps
    assert [t for t in texts if t.startswith("•")] == ["• Source code", "• Materials", "• Artifacts"]
    off = replace(SETTINGS, list_ratio=0)
    assert [c.text for c in select(info, ranked, off)] == texts[:1]


def test_a_list_is_not_cut_by_the_sentence_that_goes_on_from_the_best():
    text = (
        "The guide names the stages of the chain. These stages matter to everyone. The stages are:\n"
        "• Source code\n• Materials\n• Artifacts"
    )
    cands = sentence_candidates(passage(text))
    info = analyze("What stages of the chain are there?")
    ranked = [(0.8, cands[0]), (0.7, cands[1]), (0.6, cands[2])] + [(0.2, c) for c in cands[3:]]
    texts = [c.text for c in select(info, ranked, SETTINGS)]
    assert "These stages matter to everyone." in texts  # goes on from the best ("These ...")
    assert [t for t in texts if t.startswith("•")] == ["• Source code", "• Materials", "• Artifacts"]


def test_other_options_go_on_from_the_default_with_their_items():
    text = "The device defaults to pc. Other options include:\n• mri\n• eeg\n• meg\nThe screen is next."
    spans, at = [], 0
    for block in text.split("\n"):  # a bulleted line is a block of its own, as ingest has it
        spans += [(at + a, at + b) for a, b in sentence_spans(block)]
        at += len(block) + 1
    cands = sentence_candidates(passage(text, sentences=tuple(spans)))
    info = analyze("The device defaults to pc - what other values can it take?")
    ranked = [(0.8, cands[0])] + [(0.2, c) for c in cands[1:]]
    texts = [c.text for c in select(info, ranked, SETTINGS)]
    assert texts == ["The device defaults to pc.", "Other options include:", "• mri", "• eeg", "• meg"]


def test_a_list_far_below_the_best_is_not_added():
    cands = sentence_candidates(passage("The guide covers stages. Rice, wheat, maize and barley grow."))
    viable = [(0.9, cands[0]), (0.3, cands[1])]
    assert with_list([cands[0]], viable, cands, SETTINGS) == [cands[0]]


def test_a_list_question_whose_best_sentence_is_one_item_gets_its_list():
    text = (
        "Errors happen.\n• Prevention:\n• Catch and handle errors\n• Use a global handler\n"
        "• Fail closed.\nMonitoring needs:\n• Keep logs"
    )
    cands = sentence_candidates(passage(text))
    info = analyze("What practices prevent error problems?")
    assert info.shape == "list"
    ranked = [(0.7, cands[2]), (0.4, cands[0])] + [(0.3, c) for c in cands[1:2] + cands[3:]]
    texts = [c.text for c in select(info, ranked, SETTINGS)]
    assert texts == ["• Prevention:", "• Catch and handle errors", "• Use a global handler", "• Fail closed."]
    nested = sentence_candidates(
        passage("Prevention:\n• Validate input\n• Encode output, including:\n• HTML\n• Log")
    )
    assert len(list_items(nested[0], nested)) == 4  # an item leading in to sub-items does not end its list
    alone = sentence_candidates(passage("• Catch and handle errors\n• Use a global handler\n• Keep logs"))
    ranked = [(0.7, alone[0])] + [(0.3, c) for c in alone[1:]]
    # no lead-in: the run of items the best stands in (items right under a heading)
    assert [c.text for c in select(info, ranked, SETTINGS)] == [c.text for c in alone]


def test_a_why_question_takes_the_reason_that_follows_the_rule():
    text = (
        "The file MUST NOT use the latest tag. The tag is a convention. "
        "Using it makes it much more likely to change. Other rules follow."
    )
    cands = sentence_candidates(passage(text))
    chosen = with_reason([cands[0]], cands, reach=3)
    assert [c.text for c in chosen] == [cands[0].text, "Using it makes it much more likely to change."]
    assert with_reason([cands[0]], cands, reach=1) == [cands[0]]  # out of reach
    assert with_reason([cands[2]], cands, reach=3) == [cands[2]]  # already gives a reason


def test_a_why_question_takes_the_reason_just_before_a_remark_on_the_rule():
    text = (
        "Add the toolbox to the global path. This is NOT RECOMMENDED as this might create conflicts. "
        "Also note that this might not work at all."
    )
    cands = sentence_candidates(passage(text))
    chosen = with_reason([cands[2]], cands, reach=3, pool=cands)
    assert [c.text for c in chosen] == [cands[2].text, cands[1].text]  # read in order when built
    assert with_reason([cands[2]], cands[2:], reach=3, pool=cands) == [cands[2]]  # not viable: not taken
    for manner in (
        "Such as it is, the rule holds.",
        "as shown below",
        "just as it does",
        "as it is known",
        "as we can see",
        "keep it as it is",
        "as it can be seen",
        "Keep it as long as it may be needed.",  # a comparison's second "as"
        "Flush it as soon as it can be written.",
        "It is not as good as it could be.",
        "As far as it can tell, the file is valid.",
    ):
        assert not gives_reason(manner), manner
    assert gives_reason("Keep it, as it cannot be undone.")
    assert gives_reason("It is slow because it blocks.")
    assert with_reason([cands[2]], cands, reach=0, pool=cands) == [cands[2]]  # reason_reach=0: none added


def test_a_how_question_takes_the_sentences_that_go_on_about_it():
    text = (
        "Scenario 3 shows a database of unsalted hashes. An upload flaw exposes the database. "
        "The unsalted hashes fall to a rainbow table.\n\nOther scenarios differ. The hashes are old."
    )
    cands = sentence_candidates(passage(text))
    info = analyze("How are unsalted hashes in a leaked database cracked?")
    assert info.shape == "method"
    chosen = with_explanation(info, [cands[0]], cands, cands, reach=2)
    assert chosen == cands[:3]  # both share a word of the question, in reading order
    assert with_explanation(info, [cands[0]], cands, cands, reach=0) == [cands[0]]  # off
    assert with_explanation(info, [cands[2]], cands, cands, reach=2) == [cands[2]]  # a new paragraph ends it
    steps = sentence_candidates(passage("Builds run on many hosts. Each host builds it. A hash is verified."))
    # the paragraph goes on though its last sentence shares no word of the question
    assert with_explanation(info, [steps[0]], steps, steps, reach=2) == steps
    assert with_explanation(info, [cands[0]], [cands[0], cands[2]], cands, reach=2) == [cands[0]]  # checks
    assert with_explanation(info, cands[:2], cands, cands, reach=2) == cands[:3]  # a run goes on to 3
    apart = [cands[0], cands[2]]
    assert with_explanation(info, apart, cands, cands, reach=2) == apart  # not one run: as chosen
    back = sentence_candidates(passage("Salt is missing. This makes hashes weak. Unsalted hashes leak."))
    assert with_explanation(info, [back[1]], back, back, reach=2) == [back[1]]  # points back: not after
    what = analyze("What do unsalted hashes fall to?")
    assert with_explanation(what, [cands[0]], cands, cands, reach=2) == [cands[0]]  # not a why or how
    why = analyze("Why are unsalted hashes weak?")
    because = sentence_candidates(passage("Unsalted hashes are weak because tables exist. The hashes leak."))
    assert with_explanation(why, [because[0]], because, because, reach=2) == [because[0]]  # a reason given


def _items(text: str) -> list[str]:
    """The items after the first sentence; blocks (paragraphs, lines) split apart as ingest does."""
    spans, at = [], 0
    for block in text.split("\n"):
        whole = ITEM.match(block)  # a list line is one block, one sentence
        spans += [(at, at + len(block))] if whole else [(at + a, at + b) for a, b in sentence_spans(block)]
        at += len(block) + 1
    cands = sentence_candidates(passage(text, sentences=tuple(spans)))
    return [c.text for c in list_items(cands[0], cands)]


def test_a_lead_in_brings_labelled_numbered_or_counted_items():
    labelled = (
        "There are three forms of the attack:\nReflected: the input comes back at once. It is common.\n"
        "Stored: the input is kept and shown later.\nDOM: the page itself writes it. Other text follows."
    )
    assert [t.split(":")[0] for t in _items(labelled)] == ["Reflected", "Stored", "DOM"]
    numbered = "Three categories missed the list:\n1. Resilience (#11)\n2. Memory (#12)\n3. Coding (#13)"
    assert _items(numbered) == ["1. Resilience (#11)", "2. Memory (#12)", "3. Coding (#13)"]
    capped = "• It can involve the following 2 failings;\n• not preventing it\n• not noticing it\n• Attacks:"
    assert _items(capped) == ["• not preventing it", "• not noticing it"]  # the count caps the bullets
    counted = "The plan has two aims:\nCut costs by half. Open three new sites. Hire staff."
    assert _items(counted) == ["Cut costs by half.", "Open three new sites."]
    assert _items("Costs fell by 8 percent:\nThe plan worked. It ended.") == []  # no count, no items
    assert _items("The plan has two aims. Cut costs by half.") == []  # not a lead-in


def test_a_count_brings_the_items_told_in_prose_with_ordinals():
    prose = (
        "The pact will focus on three ways to engage. First, it will share information. It will "
        "inspire. Second, there will be places to meet. Third, it will build capacity. Costs fall."
    )
    assert _items(prose) == [
        "First, it will share information.",
        "Second, there will be places to meet.",
        "Third, it will build capacity.",
    ]
    assert _items("The pact has three aims. It will share information. First, it meets.") == []
    assert _items("The pact will start first. First, it will share information.") == []  # no count


def test_stated_count():
    assert stated_count("There are three forms of XSS, usually targeting browsers:") == 3
    assert stated_count("one or more of the following 3 failings;") == 3
    assert stated_count("In 2017 the survey found 40 issues:") is None  # more than MAX_ITEMS
    assert stated_count("Prices rose 5 percent:") is None


def test_a_sentence_ending_on_a_thing_it_introduces_brings_the_next_one_that_says_which():
    from coopqa.answer.neighbours import takes_up

    introduced = "A missing channel is filled with an appropriate default value."
    assert takes_up(introduced, "The default value for A is 1.0, or opaque.")
    assert takes_up("The data is kept in some files.", "The file names end in .exr.")  # a plural
    assert not takes_up(introduced, "Default values are listed below.")  # no "The": not said which
    assert not takes_up(introduced, "The reader then closes the file.")  # opens on something else
    assert not takes_up("A missing channel is filled with zeros.", "The zeros are black.")  # no "a"/"an"
    text = (
        "Calling readPixels() copies the pixels. A missing channel is filled with an appropriate default "
        "value. The default value for A is 1.0, or opaque. The reader then closes the file."
    )
    cands = sentence_candidates(passage(text))
    ranked = [(0.9, cands[1]), (0.5, cands[0]), (0.3, cands[2]), (0.2, cands[3])]
    question = analyze("What alpha value is put into the pixels when the file has none?")
    chosen = [c.text for c in select(question, ranked, SETTINGS)]
    assert chosen[:2] == [cands[1].text, cands[2].text]  # the sentence that says which value goes with it
    off = select(question, ranked, replace(SETTINGS, continuations=False))
    assert cands[2] not in off


def test_a_question_on_how_two_things_differ_takes_the_sentences_after_one_that_names_both():
    text = (
        "A suspend state can be retentive or non-retentive. A retentive state keeps the registers "
        "whereas a non-retentive one loses them. Resuming from a retentive state is simple. Cats sleep."
    )
    cands = sentence_candidates(passage(text))
    for question in (
        "What's the difference between a retentive and a non-retentive suspend?",
        "How does a retentive suspend differ from a non-retentive one?",
        "How do retentive and non-retentive suspends compare?",
    ):
        info = analyze(question)
        assert info.shape == "compare", question
        assert with_explanation(info, [cands[0]], cands, cands, reach=2) == cands[:3]
    said = analyze("What is the difference between a retentive and a non-retentive suspend?")
    assert with_explanation(said, [cands[1]], cands, cands, reach=2) == [cands[1]]  # "whereas": said
    assert answer_shape("Which figure compares the GDP of the countries?") != "compare"


def test_a_sentence_opening_on_a_connective_that_points_back_is_read_with_the_one_before():
    from coopqa.answer.neighbours import PRONOUN_START, with_referents

    for opening in (
        "Due to this, x.",
        "For this reason x.",
        "As a result, x.",
        "In this case x.",
        "It is x.",
    ):
        assert PRONOUN_START.match(opening), opening
    for opening in ("Due to the rain, x.", "As a rule, x.", "In this paper we x.", "Iterating x."):
        assert not PRONOUN_START.match(opening), opening
    cands = sentence_candidates(
        passage("Counters start only in machine mode. Due to this, it may refuse. Cats sleep.")
    )
    assert with_referents([cands[1]], cands) == cands[:2]


def test_a_sentence_cut_off_at_a_word_that_cannot_end_one_leads_in_to_what_follows():
    cut = "The remote fence acts as a full TLB flush if\n• start and size are both 0\n• size is 2^XLEN-1"
    assert _items(cut) == ["• start and size are both 0", "• size is 2^XLEN-1"]
    for item_end in ("• the first item; and", "• the second item, or", "Scope of"):
        assert not leads_in(item_end), item_end  # an item's "; and", or a title too short to lead in
    assert not leads_in("The fence acts as a full flush.")


def test_an_item_right_under_a_heading_brings_the_run_of_items_it_stands_in():
    from coopqa.answer.shapes import with_siblings

    cands = line_candidates(
        "• Improved styling\n• Added reset extension\n• Added suspend function\nThe next version came later."
    )
    assert with_siblings([cands[1]], cands) == [cands[1], cands[0], cands[2]]  # not the prose after
    many = line_candidates("\n".join(f"• Item {i}" for i in range(10)))
    assert with_siblings([many[3]], many) == [many[3]]  # more items than an answer lists: as chosen
    two = line_candidates("• Red\n• Green\n• Blue\n1. Install the package\n2. Run the setup")
    assert with_siblings([two[1]], two) == [two[1], two[0], two[2]]  # a numbered list is another list
    cons = line_candidates("• Fast startup\n• Small memory\n• Cons:\n• Slow build")
    assert with_siblings([cons[0]], cons) == [cons[0], cons[1]]  # "• Cons:" leads in to a list of its own


def test_a_run_as_long_as_the_reach_takes_nothing_more():
    text = (
        "To build the index, run the indexer. The indexer reads the index file. The index file lists "
        "the sources. Each index entry has a key. The index key is hashed. The index bucket is written."
    )
    cands = sentence_candidates(passage(text))
    info = analyze("How do I build the index?")
    assert info.shape == "method"
    for reach, run in ((0, 1), (0, 2), (1, 2), (2, 3), (2, 4)):
        assert with_explanation(info, cands[:run], cands, cands, reach=reach) == cands[:run], (reach, run)


def test_a_comparison_goes_on_past_a_while_that_tells_a_time():
    text = (
        "A suspend state can be retentive or non-retentive while the hart waits. A retentive state keeps "
        "the registers whereas a non-retentive one loses them. Cats sleep."
    )
    cands = sentence_candidates(passage(text))
    info = analyze("What's the difference between a retentive and a non-retentive suspend?")
    assert with_explanation(info, [cands[0]], cands, cands, reach=2) == cands[:2]
    for contrast in (
        "A retentive suspend keeps the registers, while a non-retentive one loses them.",
        "While a retentive suspend keeps them, a non-retentive one loses them.",
    ):
        said = sentence_candidates(passage(contrast + " A retentive suspend resumes fast."))
        assert with_explanation(info, [said[0]], said, said, reach=2) == [said[0]], contrast


def test_lead_ins_and_connectives_are_read_with_their_words_not_their_letters():
    from coopqa.answer.neighbours import PRONOUN_START, REFERS_BACK, takes_up

    for item in ("Pin 3 is connected to port A", "• Rich in iron and vitamin A"):
        assert not leads_in(item), item  # "A" is a name, not the article "a"
    assert leads_in("The remote fence acts as a full TLB flush if")
    for opening in ("As a result of the crisis, banks raised capital.", "In this case study we look."):
        assert not PRONOUN_START.match(opening), opening
    assert not REFERS_BACK.match("Tools such as grep and sed read plain text.")
    assert REFERS_BACK.match("By default this option is turned off.")
    assert not takes_up("The parser reads a set.", "The settings are then applied.")
    assert takes_up("It returns a pointer.", "The pointers are freed later.")
    assert takes_up("It defines a class.", "The classes are listed below.")
