"""core: what every stage shares, and nothing else.

Owns the frozen records that flow down the pipeline (``Line``, ``Page``, ``Document``, ``Block``,
``Chunk``, ``Passage``, ``DocInfo``), the one grouped ``Settings``, the error hierarchy, the
token counter (cl100k, offline), the text helpers (word tokens, stemmer, stop words, sentence
splitter, normalisation, the sha256 of a file) and the labels by which a question names a place
in a document ("Figure 6", "Appendix G", "the License section"). Imports nothing from coopqa
outside itself; everything else may import it.
"""
