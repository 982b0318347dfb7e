"""Fraud errors (subclasses of the one error tree)."""

from __future__ import annotations

from autolease.exceptions import BusinessRuleViolation, Conflict, InputInvalid, NotFound


class FraudModelNotFound(NotFound):
    code = "fraud_model_not_found"


class FraudModelInvalid(BusinessRuleViolation):
    """A registered fraud model fails its hashes or cannot be read."""

    code = "fraud_model_invalid"


class FraudDataInvalid(InputInvalid):
    """A book, CSV or option given to a fraud command is missing or malformed."""

    code = "fraud_data_invalid"


class RingNotFound(NotFound):
    code = "ring_not_found"


class RingRunBusy(Conflict):
    """A ring run is already queued or running (one at a time: each reads every link)."""

    code = "ring_run_busy"


class DeviceSignalsInvalid(InputInvalid):
    """Posted device signals have a wrong type or size (the field is named)."""

    code = "device_signals_invalid"
