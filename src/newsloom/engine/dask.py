"""The Dask executor: the per-article work on the workers of a Dask cluster (``dask``, ``distributed``).

Either a local cluster of ``workers`` processes on this machine (``newsloom ingest --workers N``) or an existing
scheduler (``--scheduler tcp://HOST:PORT``) whose workers run anywhere (``dask scheduler`` + ``dask worker``,
Kubernetes, SLURM via dask-jobqueue). Tasks are chunks of articles; a bounded number are in flight and their
results come back in the order they were submitted, to the one process that de-duplicates, clusters and
stores. A worker that dies loses nothing: the scheduler runs its tasks again elsewhere (the client keeps each
task's input until its result is back). A scheduler that cannot be reached, or that has no workers for
``settings.ENGINE.no_workers_timeout_s``, is an ``EngineError`` instead of a hang.
"""
from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator

from newsloom import errors
from newsloom.engine.work import Partition, Result, analyse_chunk, failed, read_and_analyse
from newsloom.errors import EngineError, InputProblem
from newsloom.records import Article
from newsloom.settings import ENGINE


def _distributed():
    try:
        import distributed
    except ImportError as exc:  # a declared dependency; only a broken install lacks it
        raise EngineError(f"Dask is not installed ({exc}); pip install 'dask[distributed]'") from exc
    return distributed


def _file_signature(paths: list[str]) -> list[tuple[str, int] | None]:
    """(path, size) of each file as this process sees it (None: not there). Runs on workers too."""
    out = []
    for path in paths:
        try:
            out.append((os.path.abspath(path), os.path.getsize(path)))
        except OSError:
            out.append(None)
    return out


class _Task:
    def __init__(self, executor: "DaskExecutor", future):
        self.executor = executor
        self.future = future

    def result(self):
        return self.executor._result(self.future)


class DaskExecutor:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, *,
                 connect_timeout: float | None = None, no_workers_timeout: float | None = None):
        distributed = _distributed()
        self.connect_timeout = ENGINE.connect_timeout_s if connect_timeout is None else connect_timeout
        self.no_workers_timeout = ENGINE.no_workers_timeout_s if no_workers_timeout is None else no_workers_timeout
        self.cluster = None
        self.address = scheduler
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout=self.connect_timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {scheduler} within "
                                  f"{self.connect_timeout:g} s: {exc}") from None
        else:
            self.cluster = distributed.LocalCluster(
                n_workers=max(1, workers or 1), threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = distributed.Client(self.cluster, set_as_default=False)
            self.address = self.cluster.scheduler_address
        try:
            self.client.wait_for_workers(1, timeout=self.no_workers_timeout)
        except (TimeoutError, distributed.TimeoutError, OSError):
            self.close()
            raise EngineError(f"the Dask scheduler at {self.address} has no workers "
                              f"(waited {self.no_workers_timeout:g} s); start some with: dask worker {self.address}")from None

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    # -- waiting for one result without hanging on a cluster that lost all its workers ------------------------
    def _result(self, future):
        distributed = _distributed()
        without_workers_since = None
        while True:
            try:
                return future.result(timeout=2)
            except (TimeoutError, distributed.TimeoutError):
                pass
            try:
                n = len(self.client.scheduler_info().get("workers", {}))
            except Exception:  # noqa: BLE001 -- the scheduler itself went away
                n = 0
            if n:
                without_workers_since = None
            elif without_workers_since is None:
                without_workers_since = time.monotonic()
            elif time.monotonic() - without_workers_since > self.no_workers_timeout:
                raise EngineError(f"the Dask scheduler at {self.address} lost all its workers and none came back "
                                  f"within {self.no_workers_timeout:g} s; the articles analysed so far are stored, "
                                  f"run the same ingest again to go on")

    def _chunk_results(self, future, chunk: list[Article]) -> list[Result]:
        try:
            return self._result(future)
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 -- e.g. KilledWorker: the chunk killed worker after worker
            if len(chunk) > 1:  # find the article that does it: each one again on its own
                retried = [self.client.submit(analyse_chunk, [a], self._ner_engine, pure=False, retries=1)
                           for a in chunk]
                out = []
                for article, one in zip(chunk, retried):
                    try:
                        out.extend(self._result(one))
                    except EngineError:
                        raise
                    except Exception as inner:  # noqa: BLE001
                        out.append(failed(article, inner))
                return out
            return [failed(chunk[0], exc)]

    def analyse(self, chunks: Iterable[list[Article]], ner_engine: str | None = None,
                parallel: bool = True) -> Iterator[tuple[list[Article], list[Result]]]:
        """(chunk, one result per article) for every chunk, in the order given."""
        self._ner_engine = ner_engine
        window: deque = deque()
        for chunk in chunks:
            future = self.client.submit(analyse_chunk, chunk, ner_engine, pure=False, retries=2)
            window.append((chunk, future))
            if len(window) >= ENGINE.tasks_per_worker * self.workers + 2:
                first, pending = window.popleft()
                yield first, self._chunk_results(pending, first)
        while window:
            first, pending = window.popleft()
            yield first, self._chunk_results(pending, first)

    def submit(self, fn, *args):
        """``fn(*args)`` as one task on the workers (retried elsewhere when a worker dies); ``.result()`` of what
        this returns waits for the value (used for time blocks of event clustering)."""
        return _Task(self, self.client.submit(fn, *args, pure=False, retries=2))

    # -- inputs read by the workers themselves ----------------------------------------------------------------
    def reaches(self, paths: list[str]) -> bool:
        """Whether every worker sees each of ``paths`` as this process does (same absolute path and size)."""
        mine = _file_signature(paths)
        try:
            theirs = self.client.run(_file_signature, paths)
        except Exception:  # noqa: BLE001
            return False
        return bool(theirs) and all(seen == mine for seen in theirs.values())

    def read_and_analyse(self, parts: list[Partition], ner_engine: str | None = None) -> Iterator[list]:
        window: deque = deque()
        for part in parts:
            window.append((part, self.client.submit(read_and_analyse, part, ner_engine, pure=False, retries=2)))
            if len(window) >= ENGINE.tasks_per_worker * self.workers:
                yield self._part_results(*window.popleft())
        while window:
            yield self._part_results(*window.popleft())

    def _part_results(self, part: Partition, future) -> list:
        try:
            return self._result(future)
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001
            return [(None, InputProblem(errors.E_ANALYSIS, part.path, part.first_line,
                                        f"bytes {part.start}-{part.end}: analysis failed on the workers: {exc}"))]

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
