"""Contract use cases: accept an offer, record servicing events, read a contract's state."""

from autolease.contract.service.accept import accept_offer
from autolease.contract.service.servicing import record_event
from autolease.contract.service.views import get_visible, page, to_read

__all__ = ["accept_offer", "get_visible", "page", "record_event", "to_read"]
