"""The canonical written forms of the identifiers, as regular expressions for the API's schema.

They document what a value looks like after normalisation (`identifiers.py` removes spaces
and separators, upper-cases letters and drops a +86 prefix); the validators remain the rule,
with their check characters, region codes and dates that no pattern can express.
"""

from __future__ import annotations

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

RESIDENT_ID = (
    r"^[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$"
)
USCC = r"^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$"
MOBILE = r"^1[3-9][0-9]{9}$"
BANK_CARD = r"^[0-9]{13,19}$"
PLATE = (
    rf"^[{PROVINCES}][A-HJ-NP-Z]([A-HJ-NP-Z0-9]{{5}}|[DF][A-HJ-NP-Z0-9][0-9]{{4}}|[0-9]{{5}}[DF])$"
)
VIN = r"^[A-HJ-NPR-Z0-9]{17}$"

DESCRIPTIONS = {
    "resident_id": "18-character resident ID (GB 11643); spaces are removed, x is read as X",
    "uscc": "18-character unified social credit code (GB 32100); letters are upper-cased",
    "mobile": "mainland mobile number; a +86 prefix, spaces and dashes are removed",
    "bank_card": "13-19 digit bank card number with a Luhn check digit; spaces are removed",
    "plate": "mainland plate, ordinary or new-energy; spaces and dots (·) are removed",
    "vin": "17-character VIN (GB 16735); spaces are removed, letters upper-cased",
}
