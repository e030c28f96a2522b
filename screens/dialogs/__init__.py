"""Dialogs: small modal screens that ask one thing and return its answer."""
