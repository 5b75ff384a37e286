from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: Any) -> Any:
    """``mapping[key]``, or ``key`` itself when the mapping does not have it."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def sheet_row(number: int) -> int:
    """The row a person sees in the spreadsheet: data row N sits below the header row."""
    return int(number) + 1
