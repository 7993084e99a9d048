"""retrieval: a question -> the best ``Passage`` records of a loaded index.

Owns dense search (FAISS), BM25 scoring, the fusion of the two (convex, or reciprocal rank) and
the document and section filters; the question's vector and BM25 scores made while other work
runs beside the model, and the chunks its words rank first (what the answer reads ahead).
Imports ``coopqa.core`` and ``coopqa.index``.
"""
