"""index: the index folder, and bringing a collection's documents into it.

Owns the embedding backend, the on-disk generation (manifest with checksums, chunks, vectors,
FAISS and BM25 built side by side, written whole and switched to atomically), the OCR boxes kept
beside it (``ocr/``), reading and embedding side by side with a resumable staging area
(``staging/``), and the collection
update that ``coopqa ingest`` runs (what is new, changed, unchanged or removed; embed only what
is new). Imports ``coopqa.core`` and ``coopqa.ingest``.
"""
