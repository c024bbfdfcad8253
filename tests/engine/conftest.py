"""A Dask cluster on loopback addresses for the engine tests: a ``dask scheduler`` and ``dask worker`` processes."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TcpCluster:
    """A scheduler and worker processes started like on real machines, all on 127.0.0.1."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler = self._spawn("scheduler", [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                                   "--no-dashboard"])
        self.workers: list[subprocess.Popen] = []

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}-{len(os.listdir(self.folder))}.log", "wb")
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def add_workers(self, n: int) -> None:
        for _ in range(n):
            self.workers.append(self._spawn("worker", [
                DASK, "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--memory-limit", "0"]))
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(len(self.workers), timeout=120)

    def kill_worker(self, index: int = 0) -> None:
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait(timeout=30)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def tcp_cluster(tmp_path):
    folder = tmp_path / "dask-logs"
    folder.mkdir()
    cluster = TcpCluster(folder)
    yield cluster
    cluster.close()
