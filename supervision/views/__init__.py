"""Staff pages of 监督查评 (thin: a form parses, a service writes, a selector reads)."""

from django import forms

from ..services import SupervisionError


def refuse(form: forms.Form, error: SupervisionError) -> None:
    """Show a service's refusal beside the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
