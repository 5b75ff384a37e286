"""Argument types shared by the management commands."""

from datetime import date

from django.core.management import CommandError


def iso_date(value: str) -> date:
    """A YYYY-MM-DD command-line date, or a CommandError that says so."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc
