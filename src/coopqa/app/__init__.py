"""app: what people use: the ``Assistant`` facade, the ``coopqa`` command and the chat page.

Owns ``Assistant`` (load or build an index, ``search``, ``ask``, ``ask_stream``), the CLI (it
validates, calls the library and maps errors to one line and an exit status), the chat page's
session (following the index folder's live generation), handlers and page viewer (plain
functions, no gradio) and its gradio page, and rendering cited PDF pages with the quote
highlighted. It is the top of the stack: it may import every other package, and none
imports it.
"""
