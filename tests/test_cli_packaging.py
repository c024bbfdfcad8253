"""What a fresh install gets: every third-party import of the package is a declared dependency (and every
declared one is used), package data names only what exists, the Makefile's targets exist, and the demo corpus
is data (its builder is a script that reproduces it byte for byte, never imported by newsloom)."""
from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "newsloom"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_norm(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}


def _top_level_imports() -> set[str]:
    names = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"newsloom"}


# declared for a dependency's sake, never imported by newsloom itself: name and reason
FOR_DEPENDENCIES = {
    "lxml-html-clean": "trafilatura imports lxml.html.clean, a package of its own since lxml 5.2",
}


def test_every_import_of_the_package_is_a_declared_dependency_and_back():
    declared = _declared(PYPROJECT["project"]["dependencies"])
    assert set(FOR_DEPENDENCIES) <= declared
    declared -= set(FOR_DEPENDENCIES)
    to_dist = importlib.metadata.packages_distributions()
    used = set()
    for module in _top_level_imports():
        dists = {_norm(d) for d in to_dist.get(module, [])}
        assert dists, f"{module} is imported by newsloom but not installed"
        assert dists & declared, f"{module} ({', '.join(sorted(dists))}) is imported but not declared"
        used |= dists & declared
    assert not declared - used, f"declared but never imported by newsloom: {sorted(declared - used)}"


def test_training_and_bench_libraries_are_extras():
    declared = _declared(PYPROJECT["project"]["dependencies"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert not {"scikit-learn", "pycountry", "torch"} & declared
    assert {"scikit-learn", "pycountry", "torch"} <= _declared(extras["train"])
    assert "scikit-learn" in _declared(extras["bench"])


def test_package_data_names_only_what_exists():
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["newsloom"]:
        assert list(SRC.glob(pattern)), f"package data {pattern!r} matches nothing"


def test_makefile_phony_targets_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE).group(1).split()
    rules = set(re.findall(r"^([\w.-]+):", makefile, re.MULTILINE))
    assert phony and set(phony) <= rules, f"phony without a rule: {sorted(set(phony) - rules)}"


def test_the_demo_corpus_is_data_and_its_builder_a_script(tmp_path):
    assert importlib.util.find_spec("newsloom.demo._build") is None
    assert not list(SRC.joinpath("demo").glob("*.py"))
    script = REPO / "scripts" / "build_demo.py"
    if not script.exists():
        pytest.skip("scripts/ is not part of this checkout")
    run = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert "OK" in run.stdout
    for name in ("articles.jsonl", "gold.tsv", "gold_quotes.jsonl", "gold_claims.json"):
        assert (tmp_path / name).read_bytes() == (SRC / "demo" / name).read_bytes(), name
