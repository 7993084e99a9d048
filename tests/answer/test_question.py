from __future__ import annotations

import pytest

from coopqa.answer.followups import plain_question, resolve_followup
from coopqa.answer.lexicon import NEUTRAL, lexicon_of
from coopqa.answer.question import analyze, entities, mentions
from coopqa.answer.values import has_type
from coopqa.core.profile import Profile, load_profile

EV = lexicon_of(load_profile("ev100plus"))  # the bundled report's words


@pytest.mark.parametrize(
    "question, kind",
    [
        ("When does Indonesia plan to reach carbon neutrality?", "year"),
        ("Indonesia net zero year?", "year"),
        ("What share of the world's nickel reserves does Indonesia hold?", "percent"),
        ("How much is CATL investing in its Indonesian battery project?", "money"),
        ("How many EV charging posts are there in Laos?", "count"),
        ("How much gas is paid for every transaction?", "number"),  # a quantity of gas, not money
        ("What default value does the line order attribute have?", ""),  # "INCREASING_Y" may answer
        ("How much does the licence cost?", "money"),
        ("How much funding was raised?", "money"),
        ("What was the China-ASEAN trade volume in 2023?", "number"),
        ("What e-commerce market size is targeted for 2025?", "number"),  # a hyphenated word before it
        ("Which companies built EV plants in Southeast Asia?", ""),
        ("Which two releases share the same version code?", ""),  # "share" a verb: no proportion asked
        ("What market share did the company reach?", "percent"),
        ("What share the EU holds of global exports?", "percent"),  # "share" a noun before "the" too
        ("Which country's share the report projects for 2030?", "percent"),
        ("Which nodes share keys?", ""),  # a plural subject shares
        ("What is the timeout in seconds?", "number"),
        ("Is the lifetime given in seconds or frames?", ""),  # which unit, not how many
        ("Is the lifetime given in seconds, or in frames?", ""),
        ("Can the delay be set in seconds or less?", "number"),
    ],
)
def test_answer_type(question, kind):
    assert analyze(question).answer_type == kind


def test_entities_and_numbers():
    info = analyze(
        "Which emerging fields do the China-Vietnam cooperation documents stress in Table 1 for 2025?",
        lexicon=EV,
    )
    assert info.entities == ("Vietnam",)  # "China" is generic, the hyphenated pair gives "Vietnam"
    assert info.numbers == ("2025",)  # "Table 1" names a table, not a figure to find
    assert entities("Which chipmakers have plants and HQs in Singapore?") == ("Singapore",)
    assert entities("Who wrote it for EV100plus?", frozenset({"ev100plus"})) == ()
    assert analyze("When do Thailand and Vietnam aim to be carbon neutral?").alternatives
    # a version keeps its dotted numbers: "v0" is named nowhere, "v0.2" is
    assert entities("How does the legacy convention differ from the v0.2+ one?") == ("v0.2",)
    assert entities("What changed in SBI v1.0.3?") == ("SBI", "v1.0.3")
    # a second sentence's first word is capitalised as the first one's is: no name
    assert entities("Does the SBI list the hardware? If not, how does the OS find it?") == ("SBI", "OS")
    assert entities("I read the spec. What does Zenodo accept?") == ("Zenodo",)
    assert entities("Which city, e.g. Paris, hosts it?") == ("Paris",)
    # ... but any other word there is as much a name as anywhere
    assert entities("Which vendor ships first? Apple or Samsung?") == ("Apple", "Samsung")
    assert analyze("Which vendor ships first? Apple or Samsung?").alternatives
    assert entities("It moved to v2.0. Explain why?") == ("v2.0",)


def test_mentions_countries_by_adjective():
    assert mentions("Thailand", "The Thai government envisions ...", EV)
    assert mentions("Indonesian", "Indonesia is one of the largest nickel producers", EV)
    assert not mentions("Laos", "Malaysia and the Philippines", EV)


def test_the_collections_words_come_from_its_profile():
    # without a profile no word is generic, no synonym rewritten, no name has other forms
    assert analyze("Which Chinese firms are in Chile?").entities == ("Chinese", "Chile")
    assert analyze("Which Chinese firms are in Chile?", lexicon=EV).entities == ("Chile",)
    assert analyze("Net zero by when?").text == "Net zero by when?"
    assert analyze("Net zero by when?", lexicon=EV).text == "carbon neutrality by when?"
    assert not mentions("Thailand", "The Thai government", NEUTRAL)
    assert entities("Laos?") == () and entities("Laos?", lexicon=EV) == ("Laos",)  # a key name opens it
    lanterns = lexicon_of(
        Profile(
            generic_words=("Lantern",),
            synonyms=((r"\bglow\b", "light"),),
            aliases=(("Norway", ("Norwegian", "Norse")),),
        )
    )
    info = analyze("Do Norse Lantern makers glow?", lexicon=lanterns)
    assert info.entities == ("Norse",) and info.text == "Do Norse Lantern makers light?"
    assert lanterns.is_key_name("Norse") and not lanterns.is_key_name("Peru")
    assert mentions("Norse", "Norwegian makers", lanterns) and mentions("Norway", "the norse", lanterns)


def test_a_status_date_is_no_answer_to_when():
    assert not has_type("year", "Over 200 projects were signed as of 2022, since its establishment.")
    assert not has_type("year", "As of July 2023, the cumulative investment exceeded USD 380 billion.")
    assert has_type("year", "The park, set up in 2012, held 200 projects as of 2022.")


def test_has_type():
    assert has_type("money", "an investment of USD 700 million by 2026")
    assert has_type("money", "acquired a stake for USD one billion")
    assert not has_type("money", "invested heavily in 2023")
    assert has_type(
        "count", "Malaysia encourages 875,000 micro, small, and medium-sized enterprises (MSMEs)", ("msme",)
    )
    assert not has_type("count", "over the past three years", ("people", "work"))
    assert has_type("count", "can be broken down into three categories", ("group",))


def test_resolve_followup():
    history = ["When does Vietnam aim to be carbon neutral?"]
    assert resolve_followup("and Malaysia?", history, EV) == "When does Malaysia aim to be carbon neutral?"
    assert (
        resolve_followup("what about its carbon peaking target?", history, EV)
        == "Vietnam what about its carbon peaking target?"
    )
    standalone = "Which companies built EV plants in Southeast Asia?"
    assert resolve_followup(standalone, history, EV) == standalone
    messages = [{"role": "user", "content": history[0]}, {"role": "assistant", "content": "2050"}]
    assert resolve_followup("and Laos?", messages, EV) == "When does Laos aim to be carbon neutral?"
    # no lexicon given: the configured profile's (ev100plus unless COOPQA_PROFILE says otherwise)
    assert resolve_followup("Laos?", history) == "When does Laos aim to be carbon neutral?"
    assert resolve_followup("Laos?", history, NEUTRAL) == "Vietnam Laos?"  # "Laos" opens: not a name


def test_two_part_questions_split_at_the_second_question_word():
    from coopqa.answer.question import split_parts

    assert split_parts("How must the image be tagged, and what should the archive be called?") == [
        "How must the image be tagged",
        "what should the archive be called?",
    ]
    assert split_parts("What is the model and how much was invested?") == [
        "What is the model",
        "how much was invested?",
    ]
    assert split_parts("When do Thailand and Vietnam aim to be neutral?") == [
        "When do Thailand and Vietnam aim to be neutral?"
    ]
    aside = "What maximum lifetime, in minutes, does the guide recommend for tokens?"
    assert split_parts(aside) == [aside]  # a comma before "does" closes an aside, not a question
    assert split_parts("How long is the warranty, and does it cover the battery?") == [
        "How long is the warranty",
        "does it cover the battery?",
    ]
    fronted = "Apart from Wei and Ether, which denominations of Ether are listed?"
    assert split_parts(fronted) == [fronted]  # a phrase before the question is not a question
    assert split_parts("For access control, what is the default, and what happens at logout?") == [
        "For access control, what is the default",  # the phrase before both is the setting of each
        "For access control, what happens at logout?",
    ]
    for found in ("Which fork came first, and what is it?", "Which fee is 2300, and what is it for?"):
        assert split_parts(found) == [found]  # "it" is what the first part finds: one question
    assert split_parts("Which file is the manifest, and what is this repository?") == [
        "Which file is the manifest",
        "what is this repository?",  # "this" names a thing of its own: a second question
    ]


def test_a_preposition_before_what_or_which_and_an_auxiliary_opens_a_part():
    from coopqa.answer.question import bare_parts, split_parts

    question = (
        "Inside a block's pixel data, in what order are channels stored, and in which way do pixels run?"
    )
    assert split_parts(question) == [
        "Inside a block's pixel data, in what order are channels stored",  # a setting of 5 words
        "Inside a block's pixel data, in which way do pixels run?",
    ]
    assert bare_parts(question) == ["in what order are channels stored", "in which way do pixels run?"]
    assert bare_parts("How must the image be tagged, and what should the archive be called?") == []
    for whole in (
        "What happened to the plan, in which the park is located?",  # a clause, no question
        "Which figure compares total GDP and GDP per capita, and for which year?",  # no part of its own
        "Apart from the frameworks, in which fields does the report say they cooperate?",  # one question
    ):
        assert split_parts(whole) == [whole] and bare_parts(whole) == []


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Which well-known incidents does the paper mention to show how big the impact is?", ""),
        ("How big was the trade volume in 2023?", "number"),
        ("How much does the service charge per check?", "money"),
        ("On what date was version 2 published?", "year"),
        ("Which Python version is required?", "number"),
        ("What maximum lifetime, in minutes, is recommended?", "number"),
        ("What did the satellite project cost?", "money"),
        ("What does a cold storage access cost in gas?", ""),
        ("On what calendar date did the fork take effect?", "year"),
        ("What is the maximum number of characters allowed in an id?", "count"),
        ("In what month and year was the report published?", "month"),
        ("In which calendar month is the list due?", "month"),
    ],
)
def test_answer_type_reads_the_question_word_that_opens_a_clause(question, kind):
    from coopqa.answer.values import answer_type

    assert answer_type(question) == kind


def test_the_number_of_things_asked_for_is_counted_like_how_many():
    from coopqa.answer.values import count_nouns, has_type

    nouns = count_nouns("What is the maximum number of characters allowed in an id?")
    assert nouns == ("character",)  # the stem of "characters"
    assert has_type("count", "An id has at most 64 characters.", nouns)
    assert not has_type("count", "The version is 1.", nouns)


def test_when_opening_a_condition_asks_no_date_and_sets_every_part():
    from coopqa.answer.question import split_parts

    question = "When writing a cropped image, which window gives its size, and which pixels get stored?"
    assert split_parts(question) == [
        "When writing a cropped image, which window gives its size",
        "When writing a cropped image, which pixels get stored?",
    ]
    assert analyze("When writing a cropped image, which window gives its size?").answer_type == ""
    assert analyze("When the file is tiled, how big is a tile?").answer_type == "number"
    assert analyze("When was the park founded?").answer_type == "year"
    assert analyze("When and in which room is the talk?").answer_type == "year"
    for asked in (
        "When exactly was the bridge opened?",
        "When may applicants apply?",
        "When in 2021 did it open?",
    ):
        assert analyze(asked).answer_type == "year"
    assert analyze("When the park opened, who ran it?").answer_type == ""
    assert split_parts("Where exactly is the plant, and when did it open?") == [
        "Where exactly is the plant",
        "when did it open?",
    ]
    assert split_parts("When was the park founded, and who runs it?") == [
        "When was the park founded",
        "who runs it?",
    ]


def test_the_counted_noun_ends_at_its_first_plural():
    """A verb after the counted noun ("go into") is not what is counted."""
    from coopqa.answer.values import count_nouns, has_type

    nouns = count_nouns("How many scan lines go into one block when a file uses PXR24 compression?")
    assert nouns == ("scan", "line")
    assert has_type("count", "Each block holds 16 scan lines.", nouns)
    assert count_nouns("how many EV charging posts are there?") == ("charg", "post")
    assert count_nouns("How many sports clubs are there in Oslo?") == ("sport", "club")
    assert count_nouns("How many status codes exist in HTTP?") == ("status", "code")
    assert count_nouns("How many Wells Fargo branches are there?") == ("fargo", "branche")
    assert count_nouns("How many savings bank branches closed?")[0] == "branche"


def test_a_month_asked_for_wants_a_month_and_a_count_no_length_of_time():
    from coopqa.answer.values import count_nouns, has_type

    assert has_type("month", "The report came out in May 2024.")
    assert has_type("month", "Released 2023-05, with fixes.")
    assert not has_type("month", "Trade grew to USD 926.55 billion in 2023.")
    nouns = count_nouns("How many EV charging posts has the country built?")
    assert not has_type("count", "Its first charging post offers 24-hour charging.", nouns)
    assert has_type("count", "It has built 24 charging posts.", nouns)
    assert has_type("count", "A record of 3 years running.", count_nouns("How many years did it last?"))


def test_plain_question_drops_a_polite_lead_in_and_lowers_capitals():
    assert plain_question("Can you tell me: why is the tag bad?") == "why is the tag bad?"
    assert plain_question("Hi, could you please explain how VEX works?") == "how VEX works?"
    assert plain_question("I'd like to know which tools are named") == "which tools are named"
    assert plain_question("Explain why the tag is bad.") == "why the tag is bad."
    assert plain_question("Describe how builds are checked") == "how builds are checked"
    assert plain_question("Explain the tag rule.") == "Explain the tag rule."  # no question word: kept
    assert plain_question("WHEN DID ASEAN START THE DIALOGUE?") == "when did asean start the dialogue?"
    names = {"laos": "Laos", "asean": "ASEAN"}  # as the collection writes them
    assert plain_question("WHEN DID LAOS JOIN ASEAN?", names) == "when did Laos join ASEAN?"
    for kept in ("What do ASEAN, RCEP and BRI mean?", "EV sales in 2023?", "Explain the ERC.", "Tell me"):
        assert plain_question(kept) == kept  # acronyms in a question, an imperative, nothing after


def test_a_relative_clause_after_a_comma_is_no_second_question():
    from coopqa.answer.question import split_parts

    for one in (
        "What is the default directory, in which files are stored?",
        "What is the ring buffer, into which events are written?",
        "Which tool reads the file, in which data can be stored?",
        "What is the default directory, in which files are stored by default?",
        "What is the ring buffer, into which events are written to disk?",
    ):
        assert split_parts(one) == [one]
    assert split_parts("What does the block store, in which direction do pixels run?") == [
        "What does the block store",
        "in which direction do pixels run?",
    ]
    assert split_parts("In what format does Zenodo accept metadata, and in what format does DataCite?") == [
        "In what format does Zenodo accept metadata",
        "in what format does DataCite?",
    ]
    assert split_parts("What does RFC 5246 define, and in which section is HMAC?") == [
        "What does RFC 5246 define",
        "in which section is HMAC?",
    ]
