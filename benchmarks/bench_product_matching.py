"""In-process latency of product matching over a ~4,000-structure catalogue.

20 products × 5 terms (12-60) × 10 down payments × 4 balloons = 4,000 structures, built from
the seed products' shape; random customers (seeded). Each sample is `match` plus the JSON the
stage stores. Scenarios: "mixed" (random customers: about 60 % get offers, the rest get the
binding constraint and confirmed smallest changes) and "no_offer" (budgets far too small).
Wall and CPU time are both reported: on a shared machine wall time includes waiting for a core.

Usage: python -m benchmarks.bench_product_matching [--requests 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from autolease.product.catalogue import Catalogue
from autolease.product.matching import MatchResult, match
from autolease.product.present import result_dict
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    MatchSettings,
    RiskView,
    VehicleView,
)
from autolease.product.schemas import ProductSpec
from autolease.product.service import seed_specs
from benchmarks.common import emit, machine, percentiles_ms

D = Decimal
TERMS = [12, 24, 36, 48, 60]


def catalogue(size: int = 20) -> Catalogue:
    """`size` products: variants of the seed's direct and operating leases, all open to a
    young car bought from a dealer by an individual, each with 5 terms and 4 balloons."""
    bases = [
        s.model_dump(mode="json")
        for s in seed_specs()
        if s.product_type.value != "sale_leaseback" and s.eligibility.new_energy.value != "only"
    ]
    products = []
    for i in range(size):
        raw: dict[str, Any] = copy.deepcopy(bases[i % len(bases)])
        raw["code"] = f"BENCH-{i:02d}"
        raw["terms_months"] = TERMS
        raw["down_payment"] = {"min_ratio": "0.10", "max_ratio": "0.60"}  # 10 levels of cash
        operating = raw["product_type"] == "operating_lease"
        raw["balloon_ratios"] = (
            ["0.1", "0.2", "0.3", "0.4"] if operating else ["0", "0.1", "0.2", "0.3"]
        )
        raw["eligibility"] = {
            **raw["eligibility"],
            "applicant_kinds": ["individual", "corporate"],
            "long_term_max_vehicle_age_years": "3",
            "max_mileage_km": 150000,
        }
        raw["ltv_cap_by_grade"] = {"A": "0.80", "B": "0.70", "C": "0.60", "D": "0.50"}
        pricing = raw["pricing"]
        bump = D(i % 5) / 400
        pricing["rate_by_grade"] = {
            g: str(D(r) + bump)
            for g, r in {"A": "0.07", "B": "0.085", "C": "0.10", "D": "0.13"}.items()
        }
        pricing["expected_loss_by_grade"] = {"A": "0.005", "B": "0.012", "C": "0.025", "D": "0.05"}
        products.append(ProductSpec.model_validate(raw).to_product())
    return Catalogue(tuple(products))


def feasible_request(rng: random.Random) -> MatchRequest:
    price = D(rng.randrange(60_000, 300_000, 100))
    down = (price * D(str(rng.uniform(0.3, 0.5)))).quantize(D(1))
    financed = price - down
    budget = (financed / D(rng.choice([24, 30, 36])) * D("1.1")).quantize(D(1))
    return _request(rng, price, down, budget, budget * 4)


def infeasible_request(rng: random.Random) -> MatchRequest:
    price = D(rng.randrange(60_000, 300_000, 100))
    down = (price * D(str(rng.uniform(0.2, 0.3)))).quantize(D(1))
    budget = (price / 90).quantize(D(1))
    return _request(rng, price, down, budget, budget * 3)


def _request(rng: random.Random, price: D, down: D, budget: D, income: D) -> MatchRequest:
    vehicle = VehicleView(
        price=price,
        value_p10=price * D("0.92"),
        value_p50=price * D("0.98"),
        age_years=D(str(round(rng.uniform(0.5, 2.5), 2))),
        mileage_km=rng.randrange(5_000, 60_000),
        seller_type="dealer",
        fuel_type="petrol",
    )
    needs = CustomerNeeds(
        down_payment_available=down,
        term_months=rng.choice([24, 36, 48]),
        monthly_budget=budget,
        monthly_income=income,
        amount_requested=price - down,
    )
    risk = RiskView(rng.choice("ABCD"), rng.choice([None, rng.random()]))
    return MatchRequest(needs, vehicle, risk, MatchSettings(top_n=3))


def run(
    name: str,
    cat: Catalogue,
    make: Callable[[random.Random], MatchRequest],
    n: int,
    seed: int,
    warmup: int = 30,
) -> None:
    rng = random.Random(seed)
    requests = [make(rng) for _ in range(n + warmup)]
    samples: list[float] = []
    cpu: list[float] = []
    results: list[MatchResult] = []
    for i, req in enumerate(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = match(cat, req)
        result_dict(result, req)
        elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu_started
        if i >= warmup:
            samples.append(elapsed)
            cpu.append(cpu_elapsed)
            results.append(result)
    emit(
        "product_matching",
        scenario=name,
        products=len(cat.products),
        structures_mean=round(sum(r.considered for r in results) / len(results), 1),
        structures_max=max(r.considered for r in results),
        with_offers=sum(1 for r in results if r.offers),
        with_changes=sum(1 for r in results if r.changes),
        screen_rejections=sum(r.screen_rejections for r in results),
        **percentiles_ms(samples),
        cpu_p50_ms=percentiles_ms(cpu)["p50_ms"],
        cpu_p99_ms=percentiles_ms(cpu)["p99_ms"],
        load_avg_1m=round(os.getloadavg()[0], 2),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    emit("product_matching_machine", **machine())
    cat = catalogue()
    run("mixed", cat, feasible_request, args.requests, args.seed)
    run("no_offer", cat, infeasible_request, max(args.requests // 4, 50), args.seed)


if __name__ == "__main__":
    main()
