"""Fraud stage (pure): score, flags and reason codes for every application.

Reads the facts and ``ctx.features`` — velocity (``velocity_*``), graph (``graph_*``), device
(``device_*``), bureau and carrier answers, the vehicle stage's valuation — as prefetched
before the stages run, and writes:

* ``fraud_score`` (model probability, or ``None`` without a model), ``fraud_flags`` (the
  rule codes raised), ``fraud_ring_flag`` (policy input) and ``fraud_factors``;
* ``ctx.model_versions["fraud"]``;
* reasons (see `fraud.reasons` for codes and severities).

The rules run with or without a model; without one the stage adds
``FRAUD_MODEL_UNAVAILABLE`` (refer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autolease.fraud.features import model_inputs
from autolease.fraud.model import FraudModel
from autolease.fraud.reasons import MESSAGES, STAGE, factor_code
from autolease.origination.pipeline import DecisionContext, Severity


@dataclass(frozen=True)
class FraudRules:
    """Thresholds of the rule flags (configurable through `fraud.settings.FraudSettings`)."""

    ring_min_other_ids: int = 2
    ring_min_sps: int = 2
    ring_min_kinds: int = 2
    device_min_other_ids: int = 5
    device_min_other_sps: int = 2
    id_min_other_sps_30d: int = 2
    phone_min_other_ids: int = 2
    id_burst_7d: int = 3


def _int(features: Mapping[str, Any], name: str) -> int:
    value = features.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0
    return int(value)


def ring_flag(features: Mapping[str, Any], rules: FraudRules) -> bool:
    """Linked to confirmed fraud, or to enough identities across SPs through ≥ 2 kinds.

    >>> ring_flag({"graph_other_ids": 3, "graph_distinct_sps": 2, "graph_shared_kinds": 2},
    ...           FraudRules())
    True
    """
    if _int(features, "graph_known_bad") > 0:
        return True
    return (
        _int(features, "graph_other_ids") >= rules.ring_min_other_ids
        and _int(features, "graph_distinct_sps") >= rules.ring_min_sps
        and _int(features, "graph_shared_kinds") >= rules.ring_min_kinds
    )


def _graph_codes(f: Mapping[str, Any], rules: FraudRules) -> list[str]:
    codes = []
    if _int(f, "graph_known_bad_hop1") > 0:
        codes.append("FRAUD_CONFIRMED_LINK")
    elif _int(f, "graph_known_bad") > 0:
        codes.append("FRAUD_NEAR_CONFIRMED")
    if ring_flag(f, rules) and not codes:
        codes.append("FRAUD_RING_SUSPECTED")
    return codes


def _device_codes(f: Mapping[str, Any], rules: FraudRules) -> list[str]:
    codes = []
    if f.get("device_automation") is True:
        codes.append("DEVICE_AUTOMATION")
    elif f.get("device_emulator") is True:
        codes.append("DEVICE_EMULATOR")
    if f.get("device_foreign_ip") is True:
        codes.append("DEVICE_FOREIGN_IP")
    if f.get("device_tz_mismatch") is True or f.get("device_lang_mismatch") is True:
        codes.append("DEVICE_LOCALE_MISMATCH")
    if f.get("device_ip_province_mismatch") is True:
        codes.append("DEVICE_IP_REGION_MISMATCH")
    if (
        _int(f, "velocity_device_other_ids_90d") >= rules.device_min_other_ids
        and _int(f, "velocity_device_other_sps_90d") >= rules.device_min_other_sps
    ):
        codes.append("DEVICE_MANY_IDENTITIES")
    return codes


def _velocity_codes(f: Mapping[str, Any], rules: FraudRules) -> list[str]:
    checks = (
        (_int(f, "velocity_id_number_other_sps_30d") >= rules.id_min_other_sps_30d,
         "VELOCITY_ID_SHOPPING"),
        (_int(f, "velocity_bank_card_other_ids_90d") >= 1, "VELOCITY_CARD_SHARED"),
        (_int(f, "velocity_phone_other_ids_90d") >= rules.phone_min_other_ids,
         "VELOCITY_PHONE_SHARED"),
        (_int(f, "velocity_id_number_apps_7d") >= rules.id_burst_7d, "VELOCITY_ID_BURST"),
        (_int(f, "velocity_vin_apps_90d") >= 1, "VELOCITY_VIN_SEEN"),
    )  # fmt: skip
    return [code for hit, code in checks if hit]


def rule_codes(features: Mapping[str, Any], rules: FraudRules | None = None) -> list[str]:
    """The rule codes `features` raise, in a fixed order.

    >>> rule_codes({"device_emulator": True, "velocity_bank_card_other_ids_90d": 1})
    ['DEVICE_EMULATOR', 'VELOCITY_CARD_SHARED']
    """
    rules = rules or FraudRules()
    return [
        *_graph_codes(features, rules),
        *_device_codes(features, rules),
        *_velocity_codes(features, rules),
    ]


def _add(ctx: DecisionContext, code: str) -> None:
    severity, en, zh = MESSAGES[code]
    ctx.add_reason(code, STAGE, severity, en, zh)


@dataclass(frozen=True)
class FraudStage:
    """The pipeline's fraud stage; ``model=None`` still runs the rules and refers."""

    model: FraudModel | None = None
    rules: FraudRules = FraudRules()
    top_reasons: int = 3
    refer_threshold: float | None = None
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        f = ctx.features
        codes = rule_codes(f, self.rules)
        for code in codes:
            _add(ctx, code)
        f["fraud_flags"] = codes
        f["fraud_ring_flag"] = ring_flag(f, self.rules)
        if not any(k.startswith("velocity_") for k in f) or "graph_hop1_apps" not in f:
            _add(ctx, "FRAUD_CHECKS_INCOMPLETE")
        if self.model is None:
            f["fraud_score"] = None
            _add(ctx, "FRAUD_MODEL_UNAVAILABLE")
            return f"no fraud model; {len(codes)} rule flag(s)"
        return self._score(ctx, len(codes))

    def _score(self, ctx: DecisionContext, n_rules: int) -> str:
        assert self.model is not None
        inputs = model_inputs(ctx.facts, ctx.features, ctx.business_date)
        score = float(self.model.score([inputs])[0])
        threshold = self.refer_threshold or self.model.refer_threshold
        ctx.features["fraud_score"] = round(score, 6)
        ctx.model_versions["fraud"] = self.model.ref
        factors: list[str] = []
        if score >= threshold:
            _add(ctx, "FRAUD_SCORE_HIGH")
            for c in self.model.explain(inputs, self.top_reasons):
                factors.append(c.feature)
                ctx.add_reason(
                    factor_code(c.feature),
                    STAGE,
                    Severity.INFO,
                    f"fraud factor: {c.feature} (+{c.value:.2f} log-odds)",
                    f"欺诈因素：{c.feature}（+{c.value:.2f}）",
                )
        ctx.features["fraud_factors"] = factors
        missing = sum(1 for v in inputs.values() if v is None)
        return (
            f"{self.model.ref}: score {score:.4f} (refer ≥ {threshold:.4f}); "
            f"{n_rules} rule flag(s); {missing} of {len(inputs)} inputs missing"
        )
