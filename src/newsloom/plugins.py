"""Optional command groups. Each entry is a module with ``add_commands(subparsers)`` that sets
``handler(loom, args) -> int`` on its parsers; a module missing its dependencies is left out."""
from __future__ import annotations

import importlib

COMMAND_MODULES = ("newsloom.eval.commands", "newsloom.compare.commands", "newsloom.web.commands",
                   "newsloom.watch.commands", "newsloom.cluster.commands")


def register_commands(subparsers) -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        module.add_commands(subparsers)
