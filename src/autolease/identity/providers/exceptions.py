"""Errors of the identity providers."""

from __future__ import annotations

from autolease.exceptions import BusinessRuleViolation


class ProviderDataInvalid(BusinessRuleViolation):
    """The local providers' data (a book directory) is missing or malformed."""

    code = "identity_provider_data_invalid"
