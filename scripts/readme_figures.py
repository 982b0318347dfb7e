"""Rewrite README's demo figures from a real demo run, so they cannot go stale.

Usage, from the repository root, in the environment the demo runs in:

    python scripts/readme_figures.py                   # runs the demo, then rewrites README
    python scripts/readme_figures.py --from-json FILE  # a summary `autolease demo
                                                       #   --summary-json FILE` wrote

The demo runs as `autolease demo --no-serve --port 0 --summary-json var/demo-summary.json`
(first run: writes the synthetic book and trains the models; later runs reuse them), in the
repository root. The block between the `figures:start` and `figures:end` markers of
README.md is replaced with the measured mix, the top reasons and the date; the rest of README
is left alone. Latency is left out on purpose: it depends on the machine and its load
(BENCHMARKS.md has measured figures with their conditions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SUMMARY = ROOT / "var" / "demo-summary.json"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
OUTCOMES = (("approve", "approved"), ("refer", "referred"), ("decline", "declined"))
DEMO_ARGS = ("demo", "--no-serve", "--port", "0")


def run_demo(summary_path: Path) -> None:
    """Run the demo to completion in a child process; it writes its summary to the path."""
    code = "from autolease.cli import main; main()"
    args = [sys.executable, "-c", code, *DEMO_ARGS, "--summary-json", str(summary_path)]
    subprocess.run(args, cwd=ROOT, check=True)


def render_block(summary: dict[str, Any], measured: dt.date) -> str:
    """The README block for one demo summary (the markers included)."""
    total = summary["submitted"]
    shares = summary["shares"]
    mix = [f"{word} {100 * shares.get(key, 0.0):.1f} %" for key, word in OUTCOMES]
    rejected = sum(v for k, v in shares.items() if k.startswith("rejected"))
    if rejected:
        mix.append(f"rejected {100 * rejected:.1f} %")
    reasons = ", ".join(f"`{code}` {count}" for code, count in list(summary["reasons"].items())[:3])
    text = (
        f"On the book's latest {total} applications the default policy "
        f"{', '.join(mix[:-1])} and {mix[-1]}; the most frequent refer and decline reasons were "
        f"{reasons}. Measured {measured.isoformat()} by `python scripts/readme_figures.py` "
        f"(`autolease {' '.join(DEMO_ARGS)}`, the default book and seed)."
    )
    return "\n".join([START, textwrap.fill(text, width=95, break_on_hyphens=False), END])


def replace_block(text: str, block: str) -> str:
    """``text`` with its one figures block replaced; ValueError if the markers are not there."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"README must hold one {START} … {END} block")
    head, rest = text.split(START, 1)
    return head + block + rest.split(END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-json", type=Path, help="use this demo summary instead of a run")
    args = parser.parse_args(argv)
    path = args.from_json
    if path is None:
        SUMMARY.parent.mkdir(exist_ok=True)
        run_demo(SUMMARY)
        path = SUMMARY
    summary = json.loads(path.read_text(encoding="utf-8"))
    block = render_block(summary, dt.datetime.now(dt.UTC).date())
    README.write_text(replace_block(README.read_text(encoding="utf-8"), block), encoding="utf-8")
    sys.stdout.write(block + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
