"""Provinces: GB/T 2260 codes and name matching (pure).

Province names are compared on their first two characters, unique among China's provinces
(``内蒙古自治区`` → ``内蒙``, ``黑龙江省`` → ``黑龙``), so ``广东``, ``广东省`` and
``广东省广州市`` all match.
"""

from __future__ import annotations

from collections.abc import Mapping

PROVINCE_CODES: Mapping[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙", "21": "辽宁",
    "22": "吉林", "23": "黑龙", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
    "35": "福建", "36": "江西", "37": "山东", "41": "河南", "42": "湖北", "43": "湖南",
    "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
    "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
    "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip
"""GB/T 2260 province codes → the first two characters of the province's name."""
CHINESE_PROVINCES = frozenset(PROVINCE_CODES.values())


def province_key(name: str | None) -> str | None:
    """A province name's first two characters.

    >>> province_key("广东省"), province_key("内蒙古自治区"), province_key(None)
    ('广东', '内蒙', None)
    """
    if not name or not name.strip():
        return None
    return name.strip()[:2]


def id_province_differs(id_number: str | None, province: str | None) -> bool | None:
    """Whether a resident ID was issued in another province than `province`.

    >>> id_province_differs("440106199001011234", "广东省"), id_province_differs(None, "x")
    (False, None)
    """
    if not id_number or not province:
        return None
    issued = PROVINCE_CODES.get(id_number[:2])
    return None if issued is None else issued != province_key(province)
