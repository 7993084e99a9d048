from __future__ import annotations

import numpy as np
import pytest

from coopqa.core.errors import UsageError
from coopqa.core.text import bm25_tokens
from coopqa.retrieval.fusion import rank, rrf


def test_rrf_hand_computed():
    # item 7: 1/(60+1) + 1/(60+2); item 3: 1/(60+2); item 9: 1/(60+1)
    fused = rrf([[7, 3], [9, 7]], k=60)
    assert fused[7] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 62) and fused[9] == pytest.approx(1 / 61)


def test_rank_is_a_stable_full_sort_cut_to_n():
    rng = np.random.default_rng(7)
    for trial in range(200):
        scores = rng.integers(0, 4, 60).astype(np.float32)  # many ties
        mask = rng.random(60) > 0.4 if trial % 2 else None
        n = int(rng.integers(1, 70))
        order = np.argsort(-scores, kind="stable")
        if mask is not None:
            order = order[mask[order]]
        assert rank(scores, mask, n) == [int(i) for i in order[:n]]
    assert rank(np.ones(3), None, 0) == [] and rank(np.ones(3), np.zeros(3, dtype=bool), 2) == []
    assert rank(np.array([np.nan, 1.0, 2.0]), None, 2) == [2, 1]  # a NaN score ranks last


def test_bm25_tokens():
    assert bm25_tokens("What are the Countries' EV targets, 17.3%?") == ["country", "ev", "target", "17.3"]


def test_trade_figure_is_on_page_2_under_section_i(qa):
    passages = qa.search("How large was China-ASEAN trade in 2023?", k=5)
    hit = next(p for p in passages if "USD 926.55 billion" in p.text)
    assert "2" in hit.pages and hit.section[0].startswith("I. Strengthening")
    assert hit.cite().startswith("I. Strengthening Cooperation")


def test_vietnam_row_is_found_on_page_7(qa):
    top = qa.search("When does Vietnam aim to be carbon neutral?", k=3)
    row = next(p for p in top if p.kind == "table_row" and "Vietnam" in p.text)
    assert row.pages == ("7",) and row.section[-1].startswith("2. Priorities")
    assert row.cite() == (
        "Table 1 Timetable of Carbon Peaking and Carbon Neutrality Commitments by "
        "ASEAN Countries — II.(i).2, p. 7"
    )


def test_passages_are_best_first_and_frozen(qa):
    passages = qa.search("EV plants built by Chinese carmakers in Thailand", k=5)
    assert len(passages) == 5
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    with pytest.raises(AttributeError):
        passages[0].score = 1.0


def test_filters(qa):
    in_section = qa.search("carbon neutrality", k=5, section="IV")
    assert in_section and all(p.section[0].startswith("IV.") for p in in_section)
    second = qa.search("cooperation", k=30, section="II")  # "II" is not a prefix of "III"
    assert second and all(p.section[0].startswith("II. ") for p in second)
    by_title = qa.search("cooperation", k=3, section="Abstract")
    assert by_title and all(p.section == ("Abstract",) for p in by_title)
    assert qa.search("carbon neutrality", k=3, doc="not-there.pdf") == []


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_modes(qa, mode):
    passages = qa.search("nickel reserves Indonesia", k=3, mode=mode)
    assert passages and all(p.doc == "china-asean-emerging-industries.pdf" for p in passages)


def test_bad_mode_and_k(qa):
    with pytest.raises(UsageError, match="choose one of: hybrid, rrf, dense, bm25"):
        qa.search("x", mode="magic")
    with pytest.raises(UsageError, match="k must be at least 1"):
        qa.search("x", k=0)
    assert qa.search("   ") == []


def test_no_header_text_in_any_passage(qa):
    for chunk in qa.data.chunks:
        assert "Emerging Industries EV100plus" not in chunk.text
        assert not chunk.text.startswith("China-ASEAN Cooperation in Emerging Industries")


def test_sections_for_filters(qa):
    sections = qa.sections()
    keys = [key for _, key in sections]
    assert keys[:3] == [
        "Cover",
        "Paths and Suggestions for Advancing China-ASEAN Cooperation in Emerging Industries",
        "Abstract",
    ]
    assert ("II.(i).2 Priorities: New energy, EVs, and digital economy emerge as ...", "II.(i).2") in sections
    assert keys.index("II") < keys.index("II.(i)") < keys.index("II.(i).2") < keys.index("III")
    found = qa.search("carbon neutrality commitments", k=3, section="II.(i).2")
    assert found and all(p.section[-1].startswith("2. Priorities") for p in found)


def test_a_named_figure_comes_first_however_few_words_it_shares(qa):
    top = qa.search("Who compiled Figure 4?", k=3)  # by its words alone Figure 5 came first
    assert top[0].caption.startswith("Figure 4 ") and top[0].score == max(p.score for p in top)


def test_a_label_many_documents_carry_goes_to_the_chunks_closest_to_the_question():
    from coopqa.core.settings import RetrievalSettings
    from coopqa.index.structures import build_bm25, make_faiss_index
    from coopqa.retrieval.search import Query, Retriever

    from ..factories import chunk

    chunks = [
        chunk(
            "Rainfall by month in the highlands.",
            doc="a.pdf",
            id="a1",
            caption="Figure 1: Rainfall",
            kind="figure",
        ),
        chunk("Exports rose every year since 2015.", doc="b.pdf", id="b0", section=("Trade",)),
        chunk(
            "Exports of rice by province and year.",
            doc="b.pdf",
            id="b1",
            caption="Figure 1: Rice exports",
            kind="figure",
        ),
        chunk(
            "Wind speeds measured at the coast.",
            doc="c.pdf",
            id="c1",
            caption="Figure 1: Wind",
            kind="figure",
        ),
    ]
    axes = {"a1": 0, "b0": 1, "b1": 1, "c1": 2}  # what each text is about, as a toy embedding
    vectors = np.eye(3, dtype=np.float32)[[axes[c.id] for c in chunks]]

    def embed(texts):
        return np.stack([np.eye(3, dtype=np.float32)[1 if "export" in t.lower() else 2] for t in texts])

    retriever = Retriever(
        chunks,
        make_faiss_index(vectors, threshold=10**9, nprobe=1),
        build_bm25(chunks),
        embed,
        RetrievalSettings(),
    )
    top = retriever.search(Query("Which exports does Figure 1 show?", k=2))
    assert top[0].chunk_id == "b1" and all(p.caption.startswith("Figure 1") for p in top)  # named first
    windy = retriever.search(Query("What does Figure 1 say about wind?", k=3))
    assert [p.chunk_id for p in windy][:1] == ["c1"] and {p.chunk_id for p in windy} == {"a1", "b1", "c1"}
    plain = retriever.search(Query("Which exports rose?", k=2))  # no label named: the search's order
    assert {p.chunk_id for p in plain} == {"b0", "b1"}


def test_a_tables_other_rows_follow_the_passages_found(qa):
    top = qa.search("When does Vietnam aim to be carbon neutral?", k=2)
    more = qa.retriever.with_table_rows(top)
    assert more[:2] == top
    rows = [p for p in more if p.kind == "table_row"]
    assert len(rows) == 9 and len({p.chunk_id for p in more}) == len(more)  # each row once
    added = more[2:]
    assert [p.chunk.start for p in added] == sorted(p.chunk.start for p in added)  # the table's order
    assert all(p.score == min(q.score for q in top) for p in added)
    assert qa.retriever.with_table_rows([p for p in top if p.kind != "table_row"]) == [
        p for p in top if p.kind != "table_row"
    ]


def test_words_for_the_document_itself_are_left_out_of_the_bm25_query(qa, monkeypatch):
    asked = []

    class Recorder:
        def get_scores(self, tokens):
            asked.append(list(tokens))
            return np.zeros(len(qa.retriever.chunks))

    monkeypatch.setattr(qa.retriever, "bm25", Recorder())
    qa.retriever.bm25_scores("In the paper and its slides: exports of new energy vehicles")
    qa.retriever.bm25_scores("the paper")
    assert asked == [bm25_tokens("exports of new energy vehicles"), ["paper"]]  # alone, still searched
