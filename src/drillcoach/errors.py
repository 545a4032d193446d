"""Errors that are the user's to fix: the CLI prints them on one line and exits 2."""


class UserError(Exception):
    """A mistake in input a person gave (an argument, a file, a setting), not a bug."""
