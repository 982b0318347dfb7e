from autolease.exceptions import BusinessRuleViolation, Conflict, NotFound


class ContractNotFound(NotFound):
    code = "contract_not_found"


class OfferNotAcceptable(Conflict):
    """The application or offer cannot be accepted now (status, expiry, supersession)."""

    code = "offer_not_acceptable"


class OfferAlreadyAccepted(Conflict):
    code = "offer_already_accepted"


class ContractTransitionRefused(Conflict):
    code = "contract_transition_refused"


class ServicingRejected(BusinessRuleViolation):
    """A servicing event that the contract's state or terms do not allow."""

    code = "servicing_rejected"
