"""What can be found and bought: providers, services, prices, community listings.

Never imports ordering, invoicing, ledger or budgets (see docs/architecture).
"""
