"""Argument types shared by the management commands."""

from argparse import ArgumentTypeError
from datetime import date


def iso_date(value: str) -> date:
    """A YYYY-MM-DD command-line date. A bad one is argparse's error: a usage line and a message,
    not a traceback (CommandError raised inside a ``type=`` escapes argparse as one)."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc
