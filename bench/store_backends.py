"""SQLite against PostgreSQL on the same machine and input: ingest (bench/ingest_scale.py) of the first N
FANG-COVID articles into a fresh store of each kind, then page latency per page type (bench/web_latency.py,
search included) on each store. PostgreSQL is a throwaway local server (tests/pgserver.py: Debian's binaries,
fsync off) unless --pg names one. Usage:

    .venv/bin/python bench/store_backends.py --limit 3000 [--workers 2] [--repeat 3] [--pg postgresql://...]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    out = done.stdout
    return json.loads(out[out.index("{"):])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL (default: a throwaway local server)")
    parser.add_argument("--sqlite", default="/tmp/newsloom-bench-backends.db")
    args = parser.parse_args()
    server = None
    if args.pg:
        pg_url = args.pg
    else:
        sys.path.insert(0, str(REPO / "tests"))
        import pgserver

        server = pgserver.start()
        pg_url = server.database()
    result = {"limit": args.limit, "workers": args.workers}
    try:
        for name, target in (("sqlite", args.sqlite), ("postgresql", pg_url)):
            ingest = _run(["bench/ingest_scale.py", "--limit", str(args.limit), "--workers", str(args.workers),
                           "--db", target])
            latency = _run(["bench/web_latency.py", target, "--repeat", str(args.repeat)])
            latency.pop("store", None)
            result[name] = {"ingest": ingest, "web": latency}
            print(json.dumps({name: result[name]}), file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.stop()
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
