"""Run the chat page: ``python ui/app.py`` (the same as ``coopqa serve``)."""

from __future__ import annotations

import sys

from coopqa.app.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
