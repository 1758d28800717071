"""A budget held each way (council-managed, managed account, direct payment, or an
Individual Service Fund held by the provider) and its delivered visits invoiced, for
the tests that follow an invoice to "paid" (the Budget Minder's invoices, the invoice
page's "Pay by card", and the browser journeys)."""

from __future__ import annotations

from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.runs import run_invoices
from tests.invoicing_helpers import MAY, TODAY, days, held_budget, make_order

ORGANISATION = "Brightside Brokerage"


def budget_held_by(session, holder, council, method: HoldingMethod, provider, **values):
    """A budget held by ``method``: a managed account by ``ORGANISATION``, an ISF by
    ``provider``."""
    return held_budget(
        session, holder, council, method,
        organisation=ORGANISATION if method is HoldingMethod.MANAGED_ACCOUNT else None,
        provider=provider if method is HoldingMethod.INDIVIDUAL_SERVICE_FUND else None,
        **values)


def billed(session, holder, council, provider, service, method: HoldingMethod, *,
           visits=None) -> Invoice:
    """Visits (by default every Tuesday and Thursday of MAY: 8 of 2 hours, £320.00 at
    £20 an hour) from a budget held by ``method``, invoiced by the provider's run: the
    invoice, or the ISF statement."""
    budget = budget_held_by(session, holder, council, method, provider)
    make_order(session, holder, provider, service, budget,
               visits=days(*MAY) if visits is None else visits)
    result = run_invoices(session, provider, *MAY, today=TODAY)
    session.commit()
    return session.get(Invoice, result.created[-1])
