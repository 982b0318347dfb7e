"""SP grading on the synthetic live book: does grade D find the truly bad SPs, and how fast?

Usage:
    python -m benchmarks.bench_sp_grading [--contracts 1000000] [--sps 300] [--seed 11]

The book (`portfolio.simulate` with an `sp` segment) has SPs that turn bad at a known month
(risk × 2.5 from then on) and SPs that collude (a quarter of their contracts never pay, and
those applications share devices, contact phones and addresses across the SPs of a collusion
group and often name a staff phone of the SP as the emergency contact: `SpPlan(links=True)`).
Every SP is graded at every month end with the packaged grade policy, as `autolease sp grade`
does, with the graph's collusion signals (`channel.collusion`: cross-SP links, flagged rings,
staff links, confirmed fraud) unless ``--no-collusion``.

Reports:
* ``sp_grading_quality`` — each SP's first D: precision (the SP was truly bad or colluding by
  then), recall (truly bad SPs ever flagged; also within 6 and 12 months of turning bad), and
  the months of data it took (first D minus the month the SP turned bad), per kind;
* ``sp_grading_suspensions`` — the same for the actions policy's first `SP_ACTION_SUSPEND`;
* ``sp_grading_time`` — counting the panel and computing the graph signals (igraph rings)
  once, then grading every SP (grade and actions
  policies) at one month end, and at all month ends.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from autolease.channel import collusion
from autolease.channel.actions import SUSPEND, actions_all
from autolease.channel.actions import load_policy as load_actions_policy
from autolease.channel.credibility import CREDIBILITY_K
from autolease.channel.grading import grade_all, load_policy, policy_inputs
from autolease.channel.performance import at_month, count
from autolease.decision.engine import PolicyEngine
from autolease.portfolio.simulate import Planted, SpPlan, SpTruth, simulate
from benchmarks.common import emit, machine, peak_rss_mb


def first_d(grades_by_month: list[list[str]]) -> dict[int, int]:
    """SP index → the first month index it was graded D."""
    found: dict[int, int] = {}
    for month, grades in enumerate(grades_by_month):
        for sp, grade in enumerate(grades):
            if grade == "D" and sp not in found:
                found[sp] = month
    return found


def quality(truth: SpTruth, flagged: dict[int, int], months: int) -> dict[str, Any]:
    kind = np.asarray(truth.kind)
    bad_from = np.asarray(truth.bad_from)
    true_at_flag = [bool(bad_from[sp] >= 0 and bad_from[sp] <= m) for sp, m in flagged.items()]
    bad = [int(sp) for sp in np.flatnonzero(kind != "good")]
    lags = {
        sp: flagged[sp] - bad_from[sp]
        for sp in bad
        if sp in flagged and flagged[sp] >= bad_from[sp]
    }
    seasoned = [sp for sp in bad if bad_from[sp] <= months - 13]  # a year of data to be found
    out: dict[str, Any] = {
        "sps": len(kind),
        "truly_bad": int((kind == "bad").sum()),
        "truly_colluding": int((kind == "colluding").sum()),
        "flagged_d": len(flagged),
        "precision": round(float(np.mean(true_at_flag)), 3) if flagged else None,
        "recall": round(len(lags) / len(bad), 3),
        "recall_seasoned": round(sum(sp in lags for sp in seasoned) / max(1, len(seasoned)), 3),
        "recall_within_6_months": round(sum(v <= 6 for v in lags.values()) / len(bad), 3),
        "recall_within_12_months": round(sum(v <= 12 for v in lags.values()) / len(bad), 3),
    }
    for k in ("bad", "colluding"):
        lag = [int(v) for sp, v in lags.items() if kind[sp] == k]
        out[f"months_to_flag_{k}"] = (
            {"median": float(np.median(lag)), "p90": float(np.percentile(lag, 90)), "n": len(lag)}
            if lag
            else None
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--sps", type=int, default=300)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--k", type=float, default=CREDIBILITY_K, help="credibility weight")
    parser.add_argument(
        "--no-collusion",
        action="store_true",
        help="grade on the delinquency figures only (the policy's collusion inputs null)",
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    book = simulate(
        args.contracts,
        origination_months=args.months,
        seed=args.seed,
        planted=Planted(),
        sps=SpPlan(count=args.sps, links=True),
    )
    simulate_s = time.perf_counter() - t0
    assert book.sp_truth is not None
    panel, sp = book.panel, book.panel.segments["sp"].codes
    engine, policy, actions = PolicyEngine(), load_policy(), load_actions_policy()

    t0 = time.perf_counter()
    counts = count(panel, sp, args.sps)
    count_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    signals = None if args.no_collusion else collusion.book_signals(book)
    signals_s = time.perf_counter() - t0
    grades: list[list[str]] = []
    suspended: list[list[str]] = []
    per_month: list[float] = []
    for month in range(len(panel.months)):
        t1 = time.perf_counter()
        graph = None if signals is None else collusion.at_month(signals, args.sps, month)
        inputs = policy_inputs(at_month(counts, month), k=args.k, collusion=graph)
        graded = grade_all(engine, policy, inputs)
        todo = actions_all(engine, actions, [{**g.inputs, "grade": g.grade} for g in graded])
        per_month.append(time.perf_counter() - t1)
        grades.append([g.grade for g in graded])
        suspended.append(["D" if SUSPEND in codes else "-" for codes in todo])
    flagged = first_d(grades)
    emit(
        "sp_grading_quality",
        contracts=args.contracts,
        months=args.months,
        credibility_k=args.k,
        collusion_features=signals is not None,
        **quality(book.sp_truth, flagged, args.months),
        grade_mix_last_month={g: grades[-1].count(g) for g in "ABCD"},
    )
    emit(
        "sp_grading_suspensions",
        **quality(book.sp_truth, first_d(suspended), args.months),
    )
    emit(
        "sp_grading_time",
        contracts=args.contracts,
        sps=args.sps,
        simulate_s=round(simulate_s, 2),
        count_s=round(count_s, 3),
        graph_signals_s=round(signals_s, 3),
        one_month_all_sps_s=round(count_s + signals_s + per_month[-1], 3),
        all_months_all_sps_s=round(count_s + signals_s + sum(per_month), 3),
        peak_rss_mb=peak_rss_mb(),
        **machine(),
    )


if __name__ == "__main__":
    main()
