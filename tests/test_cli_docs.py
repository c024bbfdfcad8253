"""The documentation matches the code: every docs/ path the code or the docs name exists, and every command
example in the README parses with the real command-line parser, covering every subcommand."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from newsloom.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
DOC_PATH = re.compile(r"\bdocs/[\w./-]*\w\.(?:md|png)\b")


def _text_files():
    for folder in ("src", "bench", "scripts", "tests", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".html", ".toml", ".txt") and path.is_file():
                yield path
    yield REPO / "README.md"
    yield REPO / "pyproject.toml"


def test_every_docs_path_named_in_code_or_docs_exists():
    named = {}
    for path in _text_files():
        for found in DOC_PATH.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(found, path.relative_to(REPO))
    assert "docs/compare.md" in named and "docs/web.md" in named
    missing = {doc: str(where) for doc, where in named.items() if not (REPO / doc).is_file()}
    assert not missing, f"named but absent: {missing}"


def readme_commands() -> list[tuple[int, list[str]]]:
    """Each `.venv/bin/newsloom ...` line in the README's code blocks, as argv (comments, leading environment
    assignments and optional [brackets] removed)."""
    commands, in_code = [], False
    for number, line in enumerate((REPO / "README.md").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code or "bin/newsloom " not in line:
            continue
        words = shlex.split(line.split("newsloom ", 1)[1], comments=True)
        words = [w.strip("[]") for w in words if w not in ("[", "]")]
        commands.append((number, words))
    return commands


def test_every_readme_command_example_parses():
    commands = readme_commands()
    assert len(commands) >= 15
    for number, argv in commands:
        try:
            build_parser().parse_args(argv)
        except SystemExit as exc:  # argparse's way of refusing
            raise AssertionError(f"README.md line {number}: `newsloom {' '.join(argv)}` is refused") from exc


def test_the_readme_shows_every_subcommand():
    parser = build_parser()
    shown = set()
    for _, argv in readme_commands():
        args = parser.parse_args(argv)
        shown.add(args.command)
    assert set(parser.commands) <= shown, f"not in a README example: {sorted(set(parser.commands) - shown)}"
