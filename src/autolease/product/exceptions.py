"""Product-domain errors (pure: imports only `autolease.exceptions`).

    AutoleaseError
    ├── NotFound → ProductNotFound (404)
    ├── Conflict → ProductCodeTaken (409)
    └── BusinessRuleViolation (422)
        ├── ProductRuleViolation   a product definition breaks a contract rule (docs/domain.md §1)
        ├── ScheduleInputError     lease terms a schedule cannot be built from
        └── AprError               cash flows with no internal rate of return

Each carries `errors`, a list of `FieldError` naming the field and the reason in English and
Chinese, so a bad input never reaches the client as a traceback.
"""

from __future__ import annotations

from autolease.exceptions import BusinessRuleViolation, Conflict, FieldError, NotFound


class ProductNotFound(NotFound):
    code = "product_not_found"


class ProductCodeTaken(Conflict):
    code = "product_code_taken"


class ProductRuleViolation(BusinessRuleViolation):
    code = "product_rule_violation"


class ScheduleInputError(BusinessRuleViolation):
    code = "schedule_input_invalid"


class AprError(BusinessRuleViolation):
    code = "apr_not_computable"


def field_error(
    error_type: type[BusinessRuleViolation], field: str, rule: str, message_en: str, message_zh: str
) -> BusinessRuleViolation:
    """Build `error_type` with one `FieldError` (the detail repeats the English message)."""
    return error_type(
        f"{field}: {message_en}", errors=[FieldError(field, rule, message_en, message_zh)]
    )
