"""Where the per-article analysis runs: the local pool, a local Dask cluster or an existing Dask scheduler.

``open_executor`` picks one; each has ``analyse(chunks)`` (chunks of articles in, one result per article out,
in the order given), ``reaches(paths)`` and ``read_and_analyse(partitions)`` (workers that see the input files
read byte ranges of them themselves), ``workers`` and ``close()``. The work itself is ``engine.work``: pure
functions of their arguments. Everything sequential (de-duplication, clustering, the store) stays in the
calling process (``newsloom.pipeline``).
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from newsloom import errors, settings
from newsloom.errors import InputProblem
from newsloom.ingest.readers import iter_paths, read_file

from newsloom.engine.local import LocalExecutor, machine_cores
from newsloom.engine.work import Pair, Partition, Result, analyse_chunk

__all__ = ["LocalExecutor", "Pair", "Partition", "Result", "analyse_chunk", "machine_cores", "open_executor",
           "partitions"]


@contextmanager
def open_executor(*, processes: int | None = None, workers: int | None = None, scheduler: str | None = None):
    """A Dask executor when ``scheduler`` (an address) or ``workers`` (a local cluster of that many worker
    processes) is given, else the local pool of ``processes`` (default: the machine's cores)."""
    if scheduler or workers:
        from newsloom.engine.dask import DaskExecutor

        executor = DaskExecutor(scheduler=scheduler, workers=workers)
    else:
        executor = LocalExecutor(processes)
    try:
        yield executor
    finally:
        executor.close()


def splittable(path: str) -> bool:
    """Whether workers can read byte ranges of ``path`` themselves: an uncompressed JSON Lines file."""
    lower = path.lower()
    return lower.endswith((".jsonl", ".ndjson", ".jl")) and os.path.isfile(path)


def partitions(path: str, size: int) -> Iterator[Partition]:
    """Byte ranges of about ``size`` bytes of a JSON Lines file, cut after a newline, with their first line
    number (one pass over the file counting newlines; nothing is parsed)."""
    total = os.path.getsize(path)
    start, line = 0, 1
    with open(path, "rb") as handle:
        while start < total:
            end = min(start + size, total)
            if end < total:
                handle.seek(end)
                handle.readline()
                end = handle.tell()
            handle.seek(start)
            remaining, newlines = end - start, 0
            while remaining:
                block = handle.read(min(remaining, 1 << 22))
                newlines += block.count(b"\n")
                remaining -= len(block)
            yield Partition(os.path.abspath(path), start, end, line)
            line += newlines
            start = end


def read_inputs(paths, executor, on_problem) -> Iterator[tuple]:
    """``(article, analysis or None)`` for every article of ``paths``, in reading order; problems go to
    ``on_problem``. A folder written by ``newsloom analyze`` yields its stored analyses; uncompressed JSON Lines
    files that every Dask worker reaches are read and analysed by the workers (in byte ranges); the rest is
    read here and analysed later (``analysed_in_order``)."""
    from newsloom.engine import analyses

    ner_engine = settings.INGEST.ner_engine
    for raw in paths:
        if raw != "-" and analyses.is_dataset(raw):
            yield from analyses.read_dataset(raw, on_problem)
            continue
        for path in iter_paths([raw]):
            if executor.name == "dask" and splittable(path) and executor.reaches([path]):
                parts = list(partitions(path, settings.ENGINE.partition_bytes))
                seen = False
                for pairs in executor.read_and_analyse(parts, ner_engine):
                    for article, result in pairs:
                        if article is None or isinstance(result, InputProblem):
                            on_problem(result)
                        if article is not None:
                            seen = True
                            if not isinstance(result, InputProblem):
                                yield article, result
                if not seen and not parts:
                    on_problem(InputProblem(errors.E_EMPTY, path, None, "file is empty"))
                continue
            for item in read_file(path):
                if isinstance(item, InputProblem):
                    on_problem(item)
                else:
                    yield item, None


def analysed_in_order(items, executor, *, parallel: bool = True) -> Iterator[tuple]:
    """``(article, analysis or InputProblem)`` for ``(article, analysis or None)`` items, in their order:
    the missing analyses are computed by ``executor`` in chunks."""
    items = iter(items)
    full: deque = deque()

    def todo():
        while chunk := list(islice(items, settings.ENGINE.chunk_articles)):
            full.append(chunk)
            yield [article for article, analysis in chunk if analysis is None]

    for _, results in executor.analyse(todo(), settings.INGEST.ner_engine, parallel=parallel):
        chunk = full.popleft()
        fresh = iter(results)
        for article, analysis in chunk:
            yield article, (analysis if analysis is not None else next(fresh))
