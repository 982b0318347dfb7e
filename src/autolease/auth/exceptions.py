from autolease.exceptions import Conflict, Forbidden, Unauthenticated


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"


class RoleNotAllowed(Forbidden):
    code = "role_not_allowed"


class UsernameTaken(Conflict):
    code = "username_taken"
