"""Reason codes of the fraud stage (pure), with severities and messages.

Hard evidence refers or declines on its own; the model score refers; weak signals inform.
The policy (``policies/origination``) makes the final call on every code.

==========================  ========  =====================================================
code                        severity  when
==========================  ========  =====================================================
FRAUD_CONFIRMED_LINK        decline   shares an ID, phone, card, device, address or VIN with
                                      an application confirmed as fraud (one hop)
FRAUD_NEAR_CONFIRMED        refer     confirmed fraud two hops away
FRAUD_RING_SUSPECTED        refer     linked (rare values, ≥ 2 kinds) to ≥ 2 other
                                      identities through ≥ 2 SPs: ``fraud_ring_flag``
FRAUD_SCORE_HIGH            refer     model score at or above the refer threshold
FRAUD_FACTOR_<INPUT>        info      a top contribution to a high score
FRAUD_MODEL_UNAVAILABLE     refer     no fraud model registered (rules still run)
FRAUD_CHECKS_INCOMPLETE     info      velocity or graph features missing (not prefetched)
DEVICE_EMULATOR             refer     emulator or software GPU
DEVICE_AUTOMATION           refer     webdriver, headless browser or automation globals
DEVICE_FOREIGN_IP           refer     the IP is outside mainland China
DEVICE_LOCALE_MISMATCH      info      time zone or languages not Chinese with a Chinese IP
DEVICE_IP_REGION_MISMATCH   info      IP province differs from the residence
DEVICE_MANY_IDENTITIES      refer     the device served ≥ 5 other identities at ≥ 2 other
                                      SPs in 90 days (one SP's office device does not count)
VELOCITY_ID_SHOPPING        refer     the same identity applied at ≥ 2 other SPs in 30 days
VELOCITY_CARD_SHARED        refer     the bank card was used by another identity (90 days)
VELOCITY_PHONE_SHARED       refer     the phone was used by ≥ 2 other identities (90 days)
VELOCITY_ID_BURST           info      ≥ 3 earlier applications of the identity in 7 days
VELOCITY_VIN_SEEN           info      the car was in another application in 90 days
==========================  ========  =====================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from autolease.origination.pipeline import Severity
from autolease.reasons.entries import text

STAGE = "fraud"
_UNSAFE = re.compile(r"[^A-Z0-9]+")

SEVERITIES: Mapping[str, Severity] = {
    "FRAUD_CONFIRMED_LINK": Severity.DECLINE,
    "FRAUD_NEAR_CONFIRMED": Severity.REFER,
    "FRAUD_RING_SUSPECTED": Severity.REFER,
    "FRAUD_SCORE_HIGH": Severity.REFER,
    "FRAUD_MODEL_UNAVAILABLE": Severity.REFER,
    "FRAUD_CHECKS_INCOMPLETE": Severity.INFO,
    "DEVICE_EMULATOR": Severity.REFER,
    "DEVICE_AUTOMATION": Severity.REFER,
    "DEVICE_FOREIGN_IP": Severity.REFER,
    "DEVICE_LOCALE_MISMATCH": Severity.INFO,
    "DEVICE_IP_REGION_MISMATCH": Severity.INFO,
    "DEVICE_MANY_IDENTITIES": Severity.REFER,
    "VELOCITY_ID_SHOPPING": Severity.REFER,
    "VELOCITY_CARD_SHARED": Severity.REFER,
    "VELOCITY_PHONE_SHARED": Severity.REFER,
    "VELOCITY_ID_BURST": Severity.INFO,
    "VELOCITY_VIN_SEEN": Severity.INFO,
}
"""The default severity of each code; the texts are the catalogue's (`reasons.entries`)."""
MESSAGES: Mapping[str, tuple[Severity, str, str]] = {
    code: (severity, *text(code)) for code, severity in SEVERITIES.items()
}
CODES = tuple(MESSAGES)


def factor_code(feature: str) -> str:
    """``FRAUD_FACTOR_<INPUT>``.

    >>> factor_code("graph_sp_top_share")
    'FRAUD_FACTOR_GRAPH_SP_TOP_SHARE'
    """
    return "FRAUD_FACTOR_" + _UNSAFE.sub("_", feature.upper()).strip("_")
