"""Evaluation gate: run the `newsloom eval` commands (ner, pairs, quotes, claims) and the events windows on the
development data and refuse a drop.

Events: the three labelled FANG-COVID windows, each inside its stream (the window's two days with the 21 days
before them, ``bench/event_windows.py``), scored per window and as their mean, with the TF-IDF + agglomerative
baseline (threshold 0.8) on each window in the same run (printed; ``events_*.ahead_*`` pins newsloom's lead).

Minimums are pinned in bench/eval_baseline.json. Raising a pin records progress; lowering one needs a reason
in the commit message. Exit status 1 when any figure is below its pin (or an evaluation fails to run).

    .venv/bin/python bench/eval_gate.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_eval(args: list[str]) -> dict:
    command = [sys.executable, "-m", "newsloom", "eval", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def events_results(shared: Path, folder: Path) -> dict[str, dict]:
    """``events`` (2020-10-28/29, as before), ``events_<window>`` for the two others and ``events_mean``:
    newsloom inside each window's stream, with ``ahead_bcubed``/``ahead_pairwise`` over the baseline."""
    sys.path.insert(0, str(REPO / "bench"))
    from event_windows import WINDOWS, evaluate, write_streams

    streams = write_streams(shared, folder)
    # the analysis is cached by stream and analysis-code digest: a rerun on unchanged analysis code is quick
    found = evaluate(shared, streams, alone=False)
    results = {}
    for window in WINDOWS:
        row = found[window.name]
        scores = dict(row["stream"])
        scores["ahead_bcubed"] = round(scores["bcubed_f1"] - row["baseline"]["bcubed_f1"], 4)
        scores["ahead_pairwise"] = round(scores["pairwise_f1"] - row["baseline"]["pairwise_f1"], 4)
        scores["baseline"] = {k: row["baseline"][k] for k in ("bcubed_f1", "pairwise_f1")}
        results["events" if window.name == "2020-10-28_29" else f"events_{window.name}"] = scores
    results["events_mean"] = dict(found["mean"]["stream"])
    return results


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
        results.update(events_results(shared, Path(tempfile.gettempdir()) / "newsloom-event-streams"))
        results["claims"] = run_eval([
            "claims", *sorted(str(p) for p in (data / "claims-dev").glob("*.claims.json")),
            "--articles", str(data / "fang-covid" / "articles.jsonl.gz"),
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
            print(f"{task:<22} {figure:<14} {value!s:<8} pin {minimum:<8} {status}")
    print(json.dumps(results))
    if failures:
        print("evaluation gate failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
