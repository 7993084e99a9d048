"""answer: passages -> an ``Answer`` whose every sentence is a verified, cited quote.

Owns question analysis (what is asked for: a year, an amount, names, numbers; follow-ups; a
question typed in lower case or in capitals, or after a polite lead-in, read as written), the
extractive answerer (candidates -> score -> select -> build, or a decline naming the closest
sections and any name no document mentions; list and "why" questions completed with the list
or the reason; a table's rows gathered for a list; the word-based scores and checks of likely
sentences read ahead while the question is embedded), the ``Answer``,
``Quote`` and ``AskRequest`` records, and the optional hand-off to a local LLM whose sentences
are checked against the passages. Imports ``coopqa.core``,
``coopqa.index`` and ``coopqa.retrieval``.
"""
