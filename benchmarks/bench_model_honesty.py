"""Model honesty: held-out against in-sample figures and a default baseline, per model family.

Each family (credit, fraud, vehicle) is a module of `benchmarks.model_honesty` exposing
``NAME`` and ``run(data_root, *, quick) -> str`` (a Markdown section). This driver imports
the family modules that exist (a missing one is skipped with a note), runs them on the data
folder and prints the sections, optionally writing them to a file.

Usage (from the repository root):
    python -m benchmarks.bench_model_honesty [--data-root DIR] [--only credit,fraud,vehicle]
        [--quick] [--out FILE]
The data root defaults to ``shared/data`` in the repository's parent folder.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ("credit", "fraud", "vehicle")
DEFAULT_DATA_ROOT = ROOT.parent / "shared" / "data"
PACKAGE = "benchmarks.model_honesty"


def _families(only: str | None) -> list[str]:
    if not only:
        return list(FAMILIES)
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(FAMILIES))
    if unknown:
        raise SystemExit(f"--only: unknown families {unknown}; known: {', '.join(FAMILIES)}")
    return names


def _module(name: str) -> object | None:
    qualified = f"{PACKAGE}.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as exc:
        if exc.name != qualified:
            raise
        print(f"note: {qualified} is not here; the {name} section is skipped", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    parser.add_argument("--only", default=None, help="Comma-separated: credit,fraud,vehicle")
    parser.add_argument("--quick", action="store_true", help="Smaller samples, fewer repeats")
    parser.add_argument("--out", type=Path, default=None, help="Also write the sections here")
    args = parser.parse_args(argv)
    if not args.data_root.is_dir():
        raise SystemExit(f"--data-root {args.data_root} is not a folder")
    sections = []
    for name in _families(args.only):
        module = _module(name)
        if module is None:
            continue
        started = time.perf_counter()
        section = module.run(args.data_root, quick=args.quick)  # type: ignore[attr-defined]
        print(section, flush=True)
        print(f"({module.NAME}: {time.perf_counter() - started:.0f} s)", file=sys.stderr)  # type: ignore[attr-defined]
        sections.append(section)
    if args.out is not None:
        args.out.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
