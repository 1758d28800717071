"""Import every model module so the metadata is complete (Alembic, tests)."""

from catalogue import models as catalogue_models  # noqa: F401
from marketplace import audit, mail  # noqa: F401
from marketplace.accounts import models as account_models  # noqa: F401
from marketplace.budgets import models as budget_models  # noqa: F401
from marketplace.budgets import pools as budget_pool_models  # noqa: F401
from marketplace.budgets.plans import models as plan_models  # noqa: F401
from marketplace.db import Base
from marketplace.invoicing import models as invoicing_models  # noqa: F401
from marketplace.invoicing.payments import models as payment_models  # noqa: F401
from marketplace.ledger import models as ledger_models  # noqa: F401
from marketplace.ordering import models as ordering_models  # noqa: F401
from marketplace.ordering.deliveries import models as delivery_models  # noqa: F401
from marketplace.ordering.messages import models as message_models  # noqa: F401
from marketplace.ordering.messages import notifications as _notifications  # noqa: F401
from marketplace.ratings import models as rating_models  # noqa: F401
from marketplace.ratings import questions_models as _question_models  # noqa: F401
from marketplace.ratings.board import models as _board_models  # noqa: F401

metadata = Base.metadata
