from autolease.exceptions import Conflict, NotFound


class ApplicationNotFound(NotFound):
    code = "application_not_found"


class InvalidTransition(Conflict):
    code = "invalid_status_transition"


class IdempotencyInFlight(Conflict):
    code = "idempotency_in_flight"
