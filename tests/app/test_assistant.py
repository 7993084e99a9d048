from __future__ import annotations

from dataclasses import replace

from coopqa import Assistant
from coopqa.retrieval.search import Query

from ..pdfmaker import make_pdf

# the fusion ranks the sentence saying what Thailand lacks third; the answer quotes it first
QUESTION = "Why is Thailand betting on EVs - what does it lack?"


def test_search_puts_first_the_passage_the_answer_quotes(qa):
    fused = qa.retriever.search(Query(QUESTION, k=6))
    found = qa.search(QUESTION, k=6)
    answer = qa.ask(QUESTION)
    assert answer.answered and found[0].chunk_id == answer.citations[0].chunk_id
    assert found[0].chunk_id != fused[0].chunk_id  # the answer step reranked
    assert sorted(p.chunk_id for p in found) == sorted(p.chunk_id for p in fused)  # same passages
    rest = [p.chunk_id for p in fused if p.chunk_id != found[0].chunk_id]
    assert [p.chunk_id for p in found[1:]] == rest  # the others keep the fusion's order
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_answer_first_off_keeps_the_fusions_order(qa, monkeypatch):
    retrieval = replace(qa.settings.retrieval, answer_first=False)
    monkeypatch.setattr(qa, "settings", replace(qa.settings, retrieval=retrieval))
    fused = qa.retriever.search(Query(QUESTION, k=6))
    assert [p.chunk_id for p in qa.search(QUESTION, k=6)] == [p.chunk_id for p in fused]


def test_a_declined_question_keeps_the_fusions_order(qa):
    question = "How many EV charging posts does Laos have?"
    assert not qa.ask(question).answered
    fused = qa.retriever.search(Query(question, k=6))
    assert [p.chunk_id for p in qa.search(question, k=6)] == [p.chunk_id for p in fused]


def test_a_question_in_capitals_in_lower_case_or_after_a_polite_lead_in_gets_the_same_answer(qa):
    question = "When does Vietnam aim to be carbon neutral?"
    answer = qa.ask(question)
    assert answer.answered
    polite = "Can you tell me: " + question[0].lower() + question[1:]
    for typed in (question.upper(), question.lower(), polite):
        again = qa.ask(typed)
        assert again.question == typed  # the answer shows the question as asked
        assert again.text == answer.text and again.citations == answer.citations
        assert [p.chunk_id for p in qa.search(typed, k=3)] == [p.chunk_id for p in qa.search(question, k=3)]


def test_a_question_typed_in_lower_case_still_declines_what_the_report_does_not_say(qa):
    question = "When does Brunei plan to reach carbon neutrality?"  # Table 1 has no Brunei row
    assert not qa.ask(question).answered and not qa.ask(question.lower()).answered


def test_a_misspelt_name_is_declined_with_the_name_the_report_writes(qa):
    answer = qa.ask("When does Vietnma aim to be carbon neutral?")
    assert not answer.answered
    assert answer.note == "No indexed document mentions Vietnma. Did you mean Vietnam?"


def test_what_an_acronym_stands_for_is_found_below_the_passages_asked_for(settings, tmp_path, monkeypatch):
    pages = []
    for n in range(6):
        said = f"The ZQE board met in {2000 + n}. ZQE rules for harbour {n} changed."
        pages.append([(62, 770, 14, "B", f"{n + 1}. Harbour {n}"), (62, 745, 9.5, "R", said)])
    founded = "The Zonal Quay Exchange (ZQE) was founded by the harbour towns in 1990."
    pages.append([(62, 770, 14, "B", "7. History"), (62, 745, 9.5, "R", founded)])
    qa, _ = Assistant.build([make_pdf(tmp_path / "zqx.pdf", pages)], settings=settings)
    search = qa._search

    def second(text, request):  # as in a long document: the passage that spells it out ranks second
        found = search(text, replace(request, k=7))
        spelled = [p for p in found if "Zonal" in p.text]
        others = [p for p in found if p not in spelled]
        return (others[:1] + spelled + others[1:])[: request.k]

    monkeypatch.setattr(qa, "_search", second)
    question = "What does ZQE stand for?"
    assert "Zonal" not in qa._search(question, qa.request(question, k=1))[0].text
    answer = qa.ask(question, k=1)  # four times as many searched: the second spells ZQE out
    assert answer.answered and answer.text.startswith(founded)
    found = qa.search(question, k=1)  # the search agrees with the answer: its passage leads
    assert len(found) == 1 and found[0].chunk_id == answer.citations[0].chunk_id
    unasked = qa.ask("When did the ZQE board meet?", k=1)  # no expansion asked: the one passage
    assert len(unasked.citations) == 1 and "Zonal" not in unasked.citations[0].text


def test_reading_the_likely_passages_ahead_changes_no_answer_and_no_search(qa, monkeypatch):
    questions = [
        QUESTION,
        "How many EV charging posts does Laos have?",  # declined
        "What share of new car sales does Thailand target for EVs by 2030?",
        "What are the main challenges for cooperation in new energy vehicles?",
    ]
    results = {}
    for ahead in (False, True):
        monkeypatch.setattr(qa, "_side_by_side", ahead)
        for question in questions:
            qa.retriever.forget()
            answer = qa.ask(question)
            read = qa.extractor._read_for(qa.extractor.analyze(question))
            assert (read is not None) == ahead and (not ahead or read.parts)  # it read some, when on
            qa.retriever.forget()
            found = [(p.chunk_id, p.score) for p in qa.search(question, k=6)]
            results.setdefault(question, []).append((answer, found))
    for question, (off, on) in results.items():
        assert on == off, question
