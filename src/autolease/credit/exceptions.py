"""Credit-domain errors (subclasses of the one error tree in `autolease.exceptions`).

AutoleaseError
├── NotFound
│   └── CreditModelNotFound    no model under the artifacts folder for a reference
└── InputInvalid
    ├── CreditDataInvalid      a training or scoring table cannot be used (names the column)
    └── CreditModelInvalid     a model artifact is malformed or fails its hash check
"""

from __future__ import annotations

from autolease.exceptions import InputInvalid, NotFound


class CreditModelNotFound(NotFound):
    code = "credit_model_not_found"


class CreditDataInvalid(InputInvalid):
    code = "credit_data_invalid"


class CreditModelInvalid(InputInvalid):
    code = "credit_model_invalid"
