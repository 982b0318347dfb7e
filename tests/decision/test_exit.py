"""The process evaluates many times on the sync path and exits cleanly (zen + interpreter exit)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    from autolease.decision.engine import PolicyEngine
    from autolease.decision.files import load_one, packaged_root
    from tests.decision.test_differential import CLEAN

    policy = load_one(packaged_root(), "origination/approve").document
    engine = PolicyEngine()
    outcomes = set()
    for i in range(20_000):
        x = dict(CLEAN, applicant_age=17 + i % 50, credit_pd=(i % 30) / 100)
        outcomes.add(engine.evaluate(policy, x, trace=i % 2 == 0).outcome)
    print(sorted(outcomes))
    """
)


class TestProcessExit:
    @pytest.mark.slow
    def test_twenty_thousand_evaluations_then_a_clean_exit(self) -> None:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "['approve', 'decline', 'refer']"
