from autolease.exceptions import Conflict, NotFound


class LinkNotFound(NotFound):
    """No open applicant link with this token (unknown, expired or of a stopped SP)."""

    code = "link_not_found"


class LinkSpent(Conflict):
    """The link's applicant has already submitted an application."""

    code = "link_spent"
