"""A backtest's figures by group (pure): by SP and by month of submission.

For each group and each policy (``policy``, ``against``): applications, the approval rate,
and the bad rate of the approved — counterfactual (the synthetic book's latent outcome, known
for declined applications too) when the book has it, else observed among booked ones.
"""

from __future__ import annotations

from typing import Any

import pandas as pd  # type: ignore[import-untyped]

ROLES = ("policy", "against")  # as `backtest.runner.ROLES`


def breakdown(decisions: pd.DataFrame, book: pd.DataFrame, *, top_sps: int = 15) -> dict[str, Any]:
    """``{"bad_rate_basis": ..., "sp": [rows], "month": [rows]}``; a row is
    ``{"group", "n", "<role>_approval", "<role>_bad_rate"}``. Only the `top_sps` SPs with
    most applications are kept."""
    keep = [c for c in ("application_id", "sp_code", "submitted_at", "booked", "default_flag",
                        "latent_default_flag") if c in book.columns]  # fmt: skip
    frame = decisions.merge(book[keep], on="application_id", how="left")
    basis = "counterfactual" if "latent_default_flag" in frame.columns else "observed"
    frame["_bad"] = _bad(frame, basis)
    out: dict[str, Any] = {"bad_rate_basis": basis}
    if "sp_code" in frame.columns:
        by_sp = _rows(frame, frame["sp_code"].astype(str))
        out["sp"] = sorted(by_sp, key=lambda r: -r["n"])[:top_sps]
    if "submitted_at" in frame.columns:
        months = pd.to_datetime(frame["submitted_at"], utc=True).dt.strftime("%Y-%m")
        out["month"] = sorted(_rows(frame, months), key=lambda r: r["group"])
    return out


def _bad(frame: pd.DataFrame, basis: str) -> pd.Series:
    """1.0 bad, 0.0 good, NaN unknown."""
    if basis == "counterfactual":
        return pd.to_numeric(frame["latent_default_flag"], errors="coerce").astype("float64")
    if "default_flag" not in frame.columns:
        return pd.Series(float("nan"), index=frame.index)
    flags = pd.to_numeric(frame["default_flag"], errors="coerce").astype("float64")
    if "booked" in frame.columns:
        flags = flags.where(frame["booked"].fillna(False).astype(bool))
    return flags


def _rows(frame: pd.DataFrame, keys: pd.Series) -> list[dict[str, Any]]:
    rows = []
    for group, part in frame.groupby(keys, sort=True):
        row: dict[str, Any] = {"group": str(group), "n": len(part)}
        for role in ROLES:
            approved = part[f"{role}_outcome"] == "approve"
            row[f"{role}_approval"] = float(approved.mean()) if len(part) else None
            bad = part.loc[approved, "_bad"].dropna()
            row[f"{role}_bad_rate"] = float(bad.mean()) if len(bad) else None
        rows.append(row)
    return rows
