"""evaluation: how well and how fast coopqa answers, measured on this machine.

Owns the question sets and their checks, retrieval and answer metrics, the naive baseline, the
``coopqa eval`` report (table, JSON, Markdown, plot), ``coopqa bench`` (with OCR by dpi, the
sentence vectors' cost, many-document ingest) and scanned copies of PDFs to measure OCR on. It measures an
assistant it is handed (any object with ``search``, ``ask``, ``documents``), so it imports the
pipeline packages below it but never ``coopqa.app``.
"""
