"""Exact snapshots of in-memory state (the clusterer's), kept in the store in the same transaction as each batch,
so that a resumed or split ingest continues from exactly where the last committed batch left off.

Generic over the objects' internals: each named object's attributes are pickled together (shared objects stay
shared), except objects that the store keeps on its own (``external``: passed by name, restored from the store),
and top-level ``defaultdict``s whose factory cannot be pickled (a lambda), which are saved as plain dicts and
poured back into the fresh object's own defaultdict. A snapshot carries a fingerprint of the code and settings
that made it; any mismatch, or anything that cannot be read back, means "no snapshot" (the caller rebuilds its
state from the store's rows as before).
"""
from __future__ import annotations

import hashlib
import inspect
import pickle
import zlib
from collections import defaultdict
from types import ModuleType

FORMAT = 1


class _External:
    """Stands in for an object the store keeps elsewhere."""

    def __init__(self, name: str):
        self.name = name


def fingerprint(modules: list[ModuleType], *extra: object) -> str:
    """A hash of the source of ``modules`` and of ``extra`` values (settings): what a snapshot is valid for."""
    digest = hashlib.sha1(f"snapshot-{FORMAT}".encode())
    for module in modules:
        try:
            digest.update(inspect.getsource(module).encode("utf-8"))
        except (OSError, TypeError):
            digest.update(module.__name__.encode())
    for value in extra:
        digest.update(repr(value).encode("utf-8"))
    return digest.hexdigest()


def _unpicklable_factory(value) -> bool:
    factory = value.default_factory
    name = getattr(factory, "__qualname__", "")
    return factory is not None and ("<lambda>" in name or "<locals>" in name)


def dump(parts: dict[str, object], code: str, external: dict[str, object] | None = None) -> bytes | None:
    """The attributes of each named object, as one blob; None when something in them cannot be pickled."""
    by_identity = {id(obj): name for name, obj in (external or {}).items()}
    state = {}
    for name, obj in parts.items():
        attributes = {}
        for key, value in vars(obj).items():
            if id(value) in by_identity:
                value = _External(by_identity[id(value)])
            elif isinstance(value, defaultdict) and _unpicklable_factory(value):
                value = dict(value)
            attributes[key] = value
        state[name] = attributes
    try:
        raw = pickle.dumps({"format": FORMAT, "code": code, "state": state}, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return zlib.compress(raw, 1)


def load(blob: bytes | None, parts: dict[str, object], code: str, external: dict[str, object] | None = None) -> bool:
    """Pour a snapshot into freshly made objects ``parts``; False (and the objects untouched) when it cannot be."""
    if not blob:
        return False
    try:
        payload = pickle.loads(zlib.decompress(blob))
    except Exception:  # noqa: BLE001 - a snapshot of other code: rebuild instead
        return False
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or payload.get("code") != code:
        return False
    state = payload.get("state") or {}
    if set(state) != set(parts):
        return False
    external = external or {}
    for name, attributes in state.items():
        for value in attributes.values():
            if isinstance(value, _External) and value.name not in external:
                return False
    for name, attributes in state.items():
        obj = parts[name]
        for key, value in attributes.items():
            if isinstance(value, _External):
                value = external[value.name]
            current = getattr(obj, key, None)
            if isinstance(current, defaultdict) and type(value) is dict:
                current.clear()
                current.update(value)
            else:
                setattr(obj, key, value)
    return True
