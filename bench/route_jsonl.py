"""Throughput of `helpline route --jsonl`: utterances per second, end to end through the CLI.

Baseline measured in the same run: the same process reading and writing the same JSON lines
without routing (`cat`-like echo through Python), so the ratio shows what routing costs.
Prints its figures; run with `python bench/route_jsonl.py [--lines N]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests/data/utterances/tune.jsonl"
ECHO = "import sys\nfor line in sys.stdin: sys.stdout.write(line)"


def _lines(count: int) -> bytes:
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    rows = (
        json.dumps({"text": texts[i % len(texts)], "at": "2026-11-24T11:00:00+01:00"})
        for i in range(count)
    )
    return ("\n".join(rows) + "\n").encode()


def _timed(command: list[str], data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(command, input=data, capture_output=True, check=True)
    return time.perf_counter() - started, result.stdout.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()
    data = _lines(args.lines)
    helpline = [sys.executable, "-m", "helpline.cli", "route", "--jsonl"]
    startup, _ = _timed(helpline, b"")
    seconds, answered = _timed(helpline, data)
    echo, _ = _timed([sys.executable, "-c", ECHO], data)
    assert answered == args.lines, f"{answered} answers for {args.lines} lines"
    rate = args.lines / (seconds - startup)
    print(f"lines                 {args.lines}")
    print(f"start-up              {startup:.2f} s (loading partners, rules and cues)")
    print(f"routing               {seconds - startup:.2f} s -> {rate:,.0f} utterances/s")
    print(f"baseline (echo)       {echo:.2f} s")
    print(f"ratio routing/echo    {(seconds - startup) / max(echo, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
