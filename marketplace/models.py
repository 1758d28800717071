"""Import every model module so the metadata is complete (Alembic, tests)."""

from catalogue import models as catalogue_models  # noqa: F401
from marketplace import audit, mail  # noqa: F401
from marketplace.accounts import models as account_models  # noqa: F401
from marketplace.db import Base

metadata = Base.metadata
