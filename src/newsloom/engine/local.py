"""The local executor: the per-article work in this process or in a pool of forked processes on this machine."""
from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from multiprocessing import get_context

from newsloom.engine.work import Partition, Result, analyse_chunk, read_and_analyse
from newsloom.records import Article


def machine_cores() -> int:
    """Cores this process may run on (the affinity mask where there is one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class Pending:
    def __init__(self, async_result):
        self.async_result = async_result

    def result(self):
        return self.async_result.get()


class LocalExecutor:
    """``processes`` worker processes (default: the machine's cores); 1 runs everything in this process."""

    name = "local"

    def __init__(self, processes: int | None = None):
        self.processes = max(1, processes if processes is not None else machine_cores())
        self._pool = None

    @property
    def workers(self) -> int:
        return self.processes

    def _get_pool(self):
        if self._pool is None:
            from newsloom.engine.work import warm_up

            warm_up()  # load gazetteers and taggers once, before the workers fork and share them
            self._pool = get_context("fork").Pool(self.processes)
        return self._pool

    def analyse(self, chunks: Iterable[list[Article]], ner_engine: str | None = None,
                parallel: bool = True) -> Iterator[tuple[list[Article], list[Result]]]:
        """(chunk, one result per article) for every chunk, in the order given."""
        if self.processes <= 1 or not parallel:
            for chunk in chunks:
                yield chunk, analyse_chunk(chunk, ner_engine)
            return
        remembered: deque[list[Article]] = deque()
        room = threading.Semaphore(4 * self.processes)  # chunks in flight: memory stays flat

        def feed():
            for chunk in chunks:
                room.acquire()
                remembered.append(chunk)
                yield chunk

        results = self._get_pool().imap(partial(analyse_chunk, ner_engine=ner_engine), feed())
        for result in results:
            room.release()
            yield remembered.popleft(), result

    def submit(self, fn, *args):
        """``fn(*args)`` on one of the processes (here when there is one process); ``.result()`` of what this
        returns waits for the value (``fn`` and its arguments pickle; used for time blocks of event clustering)."""
        if self.processes <= 1:
            return Done(fn(*args))
        return Pending(self._get_pool().apply_async(fn, args))

    def reaches(self, paths: list[str]) -> bool:
        return True

    def read_and_analyse(self, parts: list[Partition], ner_engine: str | None = None) -> Iterator[list]:
        if self.processes <= 1:
            for part in parts:
                yield read_and_analyse(part, ner_engine)
            return
        yield from self._get_pool().imap(partial(read_and_analyse, ner_engine=ner_engine), parts)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
