"""Review errors (subclasses of the one error tree in `autolease.exceptions`).

AutoleaseError
├── NotFound
│   └── CaseNotFound            no review case (or none visible) for this application
├── Conflict
│   ├── CaseNotOpen             the case is closed or waits for something else
│   ├── CaseHeldByOther         another reviewer holds the case
│   ├── NoPendingVerdict        nothing waits for a second reviewer
│   └── HumanReviewNotAllowed   a human review asked for an application not declined or referred
├── Forbidden
│   └── SameReviewer            the second reviewer must differ from the first
└── InputInvalid
    └── VerdictInvalid          a reason code, offer, checklist or document id that does not fit
"""

from __future__ import annotations

from autolease.exceptions import Conflict, FieldError, Forbidden, InputInvalid, NotFound


class CaseNotFound(NotFound):
    code = "review_case_not_found"


class CaseNotOpen(Conflict):
    code = "review_case_not_open"


class CaseHeldByOther(Conflict):
    code = "review_case_held"


class NoPendingVerdict(Conflict):
    code = "review_no_pending_verdict"


class HumanReviewNotAllowed(Conflict):
    code = "human_review_not_allowed"


class SameReviewer(Forbidden):
    code = "review_same_reviewer"


class VerdictInvalid(InputInvalid):
    code = "review_verdict_invalid"


def invalid(field: str, rule: str, message_en: str, message_zh: str) -> VerdictInvalid:
    """A `VerdictInvalid` naming the field and the rule, in English and Chinese."""
    return VerdictInvalid(
        f"{field}: {message_en}", errors=[FieldError(field, rule, message_en, message_zh)]
    )
