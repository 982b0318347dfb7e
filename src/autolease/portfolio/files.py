"""A performance panel on disk: ``states.npy`` and ``contracts.parquet`` (origination month and
segment codes), ``applications.parquet`` (scores and features) and ``meta.json`` (labels and the
planted cohort). numpy's format without pickles; nothing executable is ever loaded."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from autolease.portfolio.panel import Panel, Segment
from autolease.portfolio.simulate import Planted, SimulatedBook, SpTruth


class PanelFileError(ValueError):
    """The folder is not a saved panel: a file is missing or does not fit the others."""


def save(book: SimulatedBook, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    panel = book.panel
    np.save(folder / "states.npy", panel.states, allow_pickle=False)
    contracts = pd.DataFrame(
        {"origination": panel.origination, **{k: s.codes for k, s in panel.segments.items()}}
    )
    contracts.to_parquet(folder / "contracts.parquet", index=False)
    book.applications.to_parquet(folder / "applications.parquet", index=False)
    meta = {
        "months": list(panel.months),
        "segments": {k: list(s.labels) for k, s in panel.segments.items()},
        "planted": asdict(book.planted) if book.planted else None,
        "sp_truth": asdict(book.sp_truth) if book.sp_truth else None,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load(folder: Path) -> SimulatedBook:
    missing = [
        name
        for name in ("states.npy", "contracts.parquet", "meta.json")
        if not (folder / name).is_file()
    ]
    if missing:
        raise PanelFileError(f"{folder}: not a saved panel (missing {', '.join(missing)})")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    states = np.load(folder / "states.npy", allow_pickle=False)
    contracts = pd.read_parquet(folder / "contracts.parquet")
    if len(contracts) != states.shape[0]:
        raise PanelFileError(f"{folder}: states and contracts differ in length")
    segments = {
        k: Segment(contracts[k].to_numpy(np.int32), tuple(labels))
        for k, labels in meta["segments"].items()
    }
    panel = Panel(
        states.astype(np.int8),
        contracts["origination"].to_numpy(np.int32),
        tuple(meta["months"]),
        segments,
    )
    apps_path = folder / "applications.parquet"
    apps = pd.read_parquet(apps_path) if apps_path.is_file() else pd.DataFrame()
    planted = Planted(**meta["planted"]) if meta.get("planted") else None
    truth = meta.get("sp_truth")
    sp_truth = (
        SpTruth(*(tuple(truth[k]) for k in ("labels", "kind", "bad_from"))) if truth else None
    )
    return SimulatedBook(panel, apps, planted, sp_truth)
