"""Scale: the same sample ingested by every analysis engine, each run in a fresh process into a fresh store.

Runs, one after the other: the local pool of an older checkout (``--before-src``, e.g. the code before the
engine module: ``git archive 061721d src | tar -x -C /tmp/before``), the local pool now, a local Dask cluster
with 1 and with 2 worker processes, and a ``dask scheduler`` with 2 ``dask worker`` processes on 127.0.0.1
(TCP). For each: articles/s, seconds, the time in the sequential part (de-duplication, clustering, store:
``Ingestor.process_batch``) and its share of the wall time, peak RSS of the main process and of each worker
process (sampled every 0.2 s), the events made (must be equal everywhere), and scaling efficiency against the
1-worker Dask run. Prints one JSON line per run, then a summary.

    .venv/bin/python bench/scale_dask.py --limit 3000 [--before-src /tmp/before/src] [--only local,dask1]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"

DRIVER = r'''
import json, resource, sys, time
from newsloom.api import Newsloom
from newsloom import pipeline
source, db, mode, arg = sys.argv[1:5]
spent = [0.0]
original = pipeline.Ingestor.process_batch
def timed(self, pairs, report):
    t = time.perf_counter(); original(self, pairs, report); spent[0] += time.perf_counter() - t
pipeline.Ingestor.process_batch = timed
options = {"workers": int(arg)} if mode == "local" else (
    {"dask_workers": int(arg)} if mode == "dask" else {"scheduler": arg})
if mode == "local" and arg == "0":
    options = {}
loom = Newsloom(db)
t = time.perf_counter()
report = loom.ingest([source], **options)
total = time.perf_counter() - t
listed = loom.events(limit=None)
events = len(listed)
membership = "|".join(sorted(e.id + ":" + ",".join(sorted(a.id for a in e.articles)) for e in listed))
loom.close()
import hashlib
print(json.dumps({"stored": report.stored, "failed": report.failed, "seconds": total, "sequential_s": spent[0],
                  "events": events, "membership_sha": hashlib.sha1((membership or "").encode()).hexdigest()[:12],
                  "peak_rss_mb_main_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


class RssSampler(threading.Thread):
    """Peak RSS of a process, its descendants and some other processes, sampled."""

    def __init__(self, root: int, others: list[int]):
        super().__init__(daemon=True)
        self.root, self.others, self.peaks, self.stop = root, others, {}, threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                procs = [psutil.Process(self.root)]
                procs += procs[0].children(recursive=True)
            except psutil.Error:
                procs = []
            for pid in self.others:
                try:
                    procs.append(psutil.Process(pid))
                except psutil.Error:
                    pass
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    name = "main" if p.pid == self.root else f"{p.pid}"
                    self.peaks[name] = max(self.peaks.get(name, 0), rss)
                except psutil.Error:
                    pass
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(source: str, mode: str, arg: str, pythonpath: str | None, others: list[int] | None = None) -> dict:
    db = tempfile.mktemp(prefix="newsloom-scale-", suffix=".db")
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    process = subprocess.Popen([sys.executable, "-c", DRIVER, source, db, mode, arg], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = RssSampler(process.pid, others or [])
    sampler.start()
    out, err = process.communicate()
    sampler.stop.set()
    sampler.join()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if process.returncode != 0:
        raise RuntimeError(f"{mode} {arg} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    peaks = {k: round(v / 2**20) for k, v in sampler.peaks.items()}
    result.update({
        "articles_per_second": round(result["stored"] / result["seconds"], 1),
        "seconds": round(result["seconds"], 1),
        "sequential_s": round(result["sequential_s"], 1),
        "sequential_share": round(result["sequential_s"] / result["seconds"], 3),
        "peak_rss_mb_main": peaks.pop("main", None),
        "peak_rss_mb_workers_max": max(peaks.values()) if peaks else None,
        "processes_sampled": len(peaks) + 1,
    })
    return result


class Printed(dict):
    """Results, each printed as one JSON line as soon as it is in (a long run that is stopped keeps them)."""

    def __setitem__(self, name: str, result: dict) -> None:
        super().__setitem__(name, result)
        print(json.dumps({"run": name, **result}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--before-src", help="src/ folder of an older checkout: its local pool is measured first")
    parser.add_argument("--only", help="comma-separated subset of: before,local,dask1,dask2,tcp2")
    args = parser.parse_args()
    source = tempfile.mktemp(prefix="newsloom-scale-", suffix=".jsonl")  # uncompressed: workers read byte ranges
    with gzip.open(args.articles, "rt", encoding="utf-8") as src, open(source, "w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n >= args.limit:
                break
            dst.write(line)
    wanted = set((args.only or "before,local,dask1,dask2,tcp2").split(","))
    results = Printed()
    if "before" in wanted and args.before_src:
        results["local pool, before"] = run(source, "local", "0", args.before_src)
    if "local" in wanted:
        results["local pool, now"] = run(source, "local", "0", None)
    if "dask1" in wanted:
        results["local Dask, 1 worker"] = run(source, "dask", "1", None)
    if "dask2" in wanted:
        results["local Dask, 2 workers"] = run(source, "dask", "2", None)
    if "tcp2" in wanted:
        dask = str(Path(sys.executable).with_name("dask"))
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        logs = open(os.devnull, "wb")
        procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  stdout=logs, stderr=logs)]
        time.sleep(3)
        procs += [subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                    "--no-nanny", "--no-dashboard"], stdout=logs, stderr=logs) for _ in range(2)]
        try:
            from distributed import Client

            with Client(address, timeout=60) as client:
                client.wait_for_workers(2, timeout=120)
            results["TCP, scheduler + 2 workers"] = run(source, "tcp", address, None, [p.pid for p in procs[1:]])
        finally:
            for p in procs:
                p.terminate()
                p.wait()
    os.remove(source)
    one = results.get("local Dask, 1 worker")
    for name, workers in (("local Dask, 2 workers", 2), ("TCP, scheduler + 2 workers", 2)):
        if one and name in results:
            efficiency = results[name]["articles_per_second"] / (workers * one["articles_per_second"])
            print(json.dumps({"scaling_efficiency": name, "value": round(efficiency, 3)}))
    print(json.dumps({"same_events_everywhere": len({r["membership_sha"] for r in results.values()}) == 1,
                      "articles": args.limit, "cpu_count": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
