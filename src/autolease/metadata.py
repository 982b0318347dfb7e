"""The complete table metadata: every domain's models, imported in one place.

`db.py` holds the declarative base and knows no domain; the models import the base. Whoever
needs every table at once (Alembic, the runtime before its first query, tests that create or
empty the schema) imports this module instead, so the base never imports its subclasses.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from autolease.audit import models as _audit  # noqa: F401
from autolease.auth import models as _auth  # noqa: F401
from autolease.backtest import records as _backtest  # noqa: F401
from autolease.channel import models as _channel  # noqa: F401
from autolease.contract import models as _contract  # noqa: F401
from autolease.db import Base
from autolease.dealer import models as _dealer  # noqa: F401
from autolease.decision import models as _decision  # noqa: F401
from autolease.documents import models as _documents  # noqa: F401
from autolease.fraud import models as _fraud  # noqa: F401
from autolease.governance import models as _governance  # noqa: F401
from autolease.h5 import models as _h5  # noqa: F401
from autolease.identity.biometrics import models as _biometrics  # noqa: F401
from autolease.origination import models as _origination  # noqa: F401
from autolease.product import models as _product  # noqa: F401
from autolease.review import models as _review  # noqa: F401
from autolease.web import models as _web  # noqa: F401
from autolease.webhooks import models as _webhooks  # noqa: F401

metadata: MetaData = Base.metadata
