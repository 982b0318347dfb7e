"""Validators for the Chinese identifiers used in origination (docs/domain.md §3), one module
per identifier.

Pure functions: no database, no web framework, no clock. Dates are passed in.
The only I/O is reading python-stdnum's packaged GB/T 2260 region table. The check
characters of the resident ID, the USCC and bank cards are python-stdnum's; the region check
is the project's own (stdnum's rejects current county codes such as 310115, Pudong), and so
are the VIN check digit (stdnum has none), plates and mobile numbers.

Every rejection raises :class:`IdentifierError`, which carries a stable
machine ``rule`` code and English and Chinese messages. Messages never echo
the input value, because identifiers are personal data.

>>> validate_resident_id("11010519491231002X").gender
'F'
>>> validate_uscc("91110108551385082Q").entity_type_code
'1'
>>> validate_plate("京A·12345").kind
'ordinary'
"""

from autolease.identity.identifiers.bank_card import (
    is_unionpay,
    luhn_check_digit,
    validate_bank_card,
)
from autolease.identity.identifiers.common import IdentifierError
from autolease.identity.identifiers.mobile import is_virtual_operator, validate_mobile
from autolease.identity.identifiers.plate import Plate, validate_plate
from autolease.identity.identifiers.regions import current_region_codes
from autolease.identity.identifiers.resident_id import (
    ResidentId,
    resident_id_check_char,
    validate_resident_id,
)
from autolease.identity.identifiers.uscc import Uscc, uscc_check_char, validate_uscc
from autolease.identity.identifiers.vin import Vin, decode_model_year, validate_vin, vin_check_digit

__all__ = [
    "IdentifierError",
    "Plate",
    "ResidentId",
    "Uscc",
    "Vin",
    "current_region_codes",
    "decode_model_year",
    "is_unionpay",
    "is_virtual_operator",
    "luhn_check_digit",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_bank_card",
    "validate_mobile",
    "validate_plate",
    "validate_resident_id",
    "validate_uscc",
    "validate_vin",
    "vin_check_digit",
]
