"""retrieval: a question -> the best ``Passage`` records of a loaded index.

Owns dense search (FAISS), BM25 scoring, the fusion of the two (convex, or reciprocal rank) and
the document and section filters. Imports ``coopqa.core`` and ``coopqa.index``.
"""
