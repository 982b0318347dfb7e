from autolease.exceptions import (
    BusinessRuleViolation,
    Conflict,
    Forbidden,
    TooManyRequests,
    Unauthenticated,
)


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"


class SpNotActive(Unauthenticated):
    """The caller's SP is suspended or terminated: its keys, logins and live tokens stop."""

    code = "sp_not_active"


class RoleNotAllowed(Forbidden):
    code = "role_not_allowed"


class UsernameTaken(Conflict):
    code = "username_taken"


class LoginThrottled(TooManyRequests):
    code = "login_throttled"


class KeyRateLimited(TooManyRequests):
    code = "rate_limited"


class SelfDisableRefused(BusinessRuleViolation):
    """An admin tried to disable their own account (no one would be left to undo it)."""

    code = "cannot_disable_self"
