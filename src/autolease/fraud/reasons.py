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

STAGE = "fraud"
_UNSAFE = re.compile(r"[^A-Z0-9]+")

MESSAGES: Mapping[str, tuple[Severity, str, str]] = {
    "FRAUD_CONFIRMED_LINK": (
        Severity.DECLINE,
        "shares an identifier or device with an application confirmed as fraud",
        "与已确认欺诈的申请共用身份信息或设备",
    ),
    "FRAUD_NEAR_CONFIRMED": (
        Severity.REFER,
        "linked, two steps away, to an application confirmed as fraud",
        "与已确认欺诈的申请存在间接关联",
    ),
    "FRAUD_RING_SUSPECTED": (
        Severity.REFER,
        "linked to several other identities across SPs: a suspected fraud ring",
        "与多个身份跨渠道关联，疑似欺诈团伙",
    ),
    "FRAUD_SCORE_HIGH": (Severity.REFER, "high fraud model score", "反欺诈模型评分偏高"),
    "FRAUD_MODEL_UNAVAILABLE": (
        Severity.REFER,
        "no fraud model is registered; manual fraud review needed",
        "未注册反欺诈模型，需人工反欺诈审核",
    ),
    "FRAUD_CHECKS_INCOMPLETE": (
        Severity.INFO,
        "velocity or relationship-graph data were not available",
        "缺少频次或关系图谱数据",
    ),
    "DEVICE_EMULATOR": (Severity.REFER, "the device is an emulator", "设备为模拟器"),
    "DEVICE_AUTOMATION": (
        Severity.REFER,
        "the browser is automated or headless",
        "浏览器为自动化或无头模式",
    ),
    "DEVICE_FOREIGN_IP": (Severity.REFER, "the IP address is outside mainland China", "IP位于境外"),
    "DEVICE_LOCALE_MISMATCH": (
        Severity.INFO,
        "device time zone or language is not Chinese",
        "设备时区或语言与中国IP不一致",
    ),
    "DEVICE_IP_REGION_MISMATCH": (
        Severity.INFO,
        "the IP's province differs from the residence",
        "IP所在省份与居住地不一致",
    ),
    "DEVICE_MANY_IDENTITIES": (
        Severity.REFER,
        "the device was used by many identities at several SPs",
        "同一设备在多个渠道关联多个身份",
    ),
    "VELOCITY_ID_SHOPPING": (
        Severity.REFER,
        "the applicant applied at several other SPs within 30 days",
        "申请人30天内在多个渠道申请",
    ),
    "VELOCITY_CARD_SHARED": (
        Severity.REFER,
        "the bank card was used by another identity",
        "银行卡被其他身份使用",
    ),
    "VELOCITY_PHONE_SHARED": (
        Severity.REFER,
        "the mobile was used by several other identities",
        "手机号被多个其他身份使用",
    ),
    "VELOCITY_ID_BURST": (
        Severity.INFO,
        "several applications by the same identity within 7 days",
        "同一身份7天内多次申请",
    ),
    "VELOCITY_VIN_SEEN": (
        Severity.INFO,
        "the vehicle appeared in another application within 90 days",
        "该车辆90天内出现在其他申请中",
    ),
}
CODES = tuple(MESSAGES)


def factor_code(feature: str) -> str:
    """``FRAUD_FACTOR_<INPUT>``.

    >>> factor_code("graph_sp_top_share")
    'FRAUD_FACTOR_GRAPH_SP_TOP_SHARE'
    """
    return "FRAUD_FACTOR_" + _UNSAFE.sub("_", feature.upper()).strip("_")
