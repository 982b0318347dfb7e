"""Application use cases, by use case: intake (submit), lifecycle (read, list, withdraw).

Services never commit; the request or CLI boundary does.
"""

from autolease.origination.service.intake import Submitted, submit
from autolease.origination.service.lifecycle import decision_of, get_visible, page, withdraw
from autolease.origination.service.views import decision_read, to_read, to_staff_read

__all__ = [
    "Submitted",
    "decision_of",
    "decision_read",
    "get_visible",
    "page",
    "submit",
    "to_read",
    "to_staff_read",
    "withdraw",
]
