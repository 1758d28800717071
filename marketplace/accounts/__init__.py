"""Accounts: users, roles, representatives acting for someone, signing in."""
