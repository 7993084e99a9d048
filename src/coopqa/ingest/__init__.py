"""ingest: a file on disk -> its pages -> cleaned blocks with heading paths -> chunks.

Owns the readers (PDF through pypdf, plain text, Markdown; OCR with rapidocr for pages that have
no text layer, or one of glyph codes without letters), the parser child that reads one document
at a time under a time and memory limit, the word gaps of TeX-set text read as spaces (a font's
space width mended in memory where it holds no space), the reading order of a page's lines (a
title or a side head drawn after its text put back), the layout step (running headers and
footers, headings, paragraphs and where they go on over a page break, tables, figures), the
chunker, and the revision of this reading code that each document records (a file read by
another revision is read again). It produces ``ParsedDocument`` records and never touches the
index folder.
Imports only ``coopqa.core``.
"""
