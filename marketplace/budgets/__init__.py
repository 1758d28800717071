"""Personal budgets: allocations, funding streams and their rules, how the money is
held, and the council back office for them. The money itself is in marketplace.ledger."""
