from autolease.exceptions import Conflict, NotFound


class SpNotFound(NotFound):
    code = "sp_not_found"


class SpCodeTaken(Conflict):
    code = "sp_code_taken"
