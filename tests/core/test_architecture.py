"""The layout holds: packages import only downwards, modules and functions stay readable."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import coopqa

ROOT = Path(coopqa.__file__).parent
LAYERS = ("core", "ingest", "index", "retrieval", "answer", "evaluation", "app")
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60
EXEMPT_FUNCTIONS = {("app/page.py", "build_blocks")}  # the gradio page builder: one declarative layout


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if len(rel.parts) > 1:
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _imported_packages(rel: Path, tree: ast.AST):
    """``(line, package)`` of every coopqa package a module imports, at any depth of its code."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(rel.parts[:-1])[: len(rel.parts) - node.level]
            target = [*base, *(node.module or "").split(".")] if node.module else base
            names = [target] if node.module else [[*base, alias.name] for alias in node.names]
            for parts in names:
                yield node.lineno, parts[0] if parts and parts[0] else ""
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for module in modules:
                if module and module.split(".")[0] == "coopqa":
                    parts = module.split(".")
                    yield node.lineno, parts[1] if len(parts) > 1 else "coopqa"


def test_every_package_is_a_layer_with_a_docstring():
    packages = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())
    assert packages == sorted(LAYERS)
    for name in LAYERS:
        doc = ast.get_docstring(ast.parse((ROOT / name / "__init__.py").read_text()))
        assert doc and doc.startswith(f"{name}:") and "import" in doc.lower(), name


def test_imports_only_go_down():
    wrong = []
    for rel, tree in _modules():
        own = LAYERS.index(rel.parts[0])
        for line, package in _imported_packages(rel, tree):
            if package == "coopqa" or (package in LAYERS and LAYERS.index(package) > own):
                wrong.append(f"{rel}:{line} imports {package}")
    assert not wrong, "imports that go up the stack:\n" + "\n".join(wrong)


def test_the_checker_sees_an_upward_import():
    tree = ast.parse("def f():\n    from ..app.assistant import Assistant\nfrom ..core import text\n")
    found = list(_imported_packages(Path("retrieval/search.py"), tree))
    assert sorted(found) == [(2, "app"), (3, "core")]


def test_modules_and_functions_fit_on_a_screen():
    long = []
    for rel, tree in _modules():
        lines = len((ROOT / rel).read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long.append(f"{rel}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES and (str(rel), node.name) not in EXEMPT_FUNCTIONS:
                    long.append(f"{rel}:{node.lineno} {node.name}: {size} lines")
    assert not long, "\n".join(long)


def test_the_bundled_reports_words_stand_only_in_its_profile():
    # issue 10's check, `grep -rlE "ASEAN|Thailand|Vietnam|carbon" src/`: general code (docstrings
    # too) carries no word of the bundled report; its profile file does
    words = re.compile(rb"ASEAN|Thailand|Vietnam|carbon")
    found = [p.relative_to(ROOT).as_posix() for p in sorted(ROOT.rglob("*")) if p.is_file()]
    assert [name for name in found if words.search((ROOT / name).read_bytes())] == ["profiles/ev100plus.json"]
