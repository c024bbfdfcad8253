"""Evaluation gate: run the `newsloom eval` commands (ner, pairs, events, quotes, claims) on the development
data and refuse a drop.

Minimums are pinned in bench/eval_baseline.json. Raising a pin records progress; lowering one needs a reason
in the commit message. Exit status 1 when any figure is below its pin (or an evaluation fails to run).

    .venv/bin/python bench/eval_gate.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENTS_WINDOW = ("2020-10-22", "2020-10-30")  # the labelled days with a week of context before them


def run_eval(args: list[str]) -> dict:
    command = [sys.executable, "-m", "newsloom", "eval", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def events_window(shared: Path, folder: Path) -> Path:
    target = folder / "events_window.jsonl"
    with gzip.open(shared / "data" / "fang-covid" / "articles.jsonl.gz", "rt", encoding="utf-8") as source, \
            open(target, "w", encoding="utf-8") as sink:
        for line in source:
            day = json.loads(line).get("date", "")[:10]
            if EVENTS_WINDOW[0] <= day <= EVENTS_WINDOW[1]:
                sink.write(line)
    return target


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--baseline", default=str(REPO / "bench" / "eval_baseline.json"))
    args = parser.parse_args()
    shared = Path(args.shared)
    pins = json.loads(Path(args.baseline).read_text(encoding="utf-8"))
    data = shared / "data"
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["ner"] = run_eval(["ner", str(data / "germeval2014" / "NER-de-dev.tsv")])
        results["pairs"] = run_eval(["pairs", str(data / "semeval2022-task8" / "pairs_de_dev.jsonl")])
        window = events_window(shared, Path(tmp))
        results["claims"] = run_eval([
            "claims", *sorted(str(p) for p in (data / "claims-dev").glob("*.claims.json")),
            "--articles", str(data / "fang-covid" / "articles.jsonl.gz"),
        ])
        results["events"] = run_eval([
            "events", "--articles", str(window), "--gold", str(data / "fang-covid" / "events_dev_2020-10-28_29.tsv"),
        ])
        results["quotes"] = run_eval([
            "quotes", str(data / "quotes-dev" / "quotes_dev.gold.jsonl"),
            "--articles", str(data / "fang-covid" / "articles.jsonl.gz"),
        ])
    failures = []
    for task, minimums in pins.items():
        if task.startswith("_"):
            continue
        for figure, minimum in minimums.items():
            value = results[task].get(figure)
            status = "ok" if value is not None and value >= minimum else "BELOW PIN"
            if status != "ok":
                failures.append(f"{task}.{figure} = {value} < {minimum}")
            print(f"{task:<7} {figure:<12} {value!s:<8} pin {minimum:<8} {status}")
    print(json.dumps(results))
    if failures:
        print("evaluation gate failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
