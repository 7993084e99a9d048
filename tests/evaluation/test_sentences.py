from __future__ import annotations

from coopqa.evaluation.sentences import bench_sentences, format_sentences


def test_sentence_vectors_cost_and_saving_are_measured_on_the_index(qa):
    result = bench_sentences(qa, ["When does Vietnam aim to be carbon neutral?", "What is RCEP?"])
    assert result["chunks"] == len(qa.data.chunks)
    stored = len(qa.data.sentence_vectors)
    assert result["sentences"] == sum(len(c.sentences) for c in qa.data.chunks) == stored
    assert 0 < result["sentence_share_of_embedding"] < 1
    assert result["sentence_vectors_mb"] >= result["chunk_vectors_mb"] > 0  # a chunk has a sentence or more
    assert result["questions"] == 2 and result["candidates_median"] > 0
    assert result["lookup_ms_median"] > 0 and result["embed_at_ask_ms_median"] > 0
    text = "\n".join(format_sentences(result))
    assert f"{result['sentences']} sentences of {result['chunks']} chunks" in text
