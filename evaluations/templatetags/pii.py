"""``{{ text|masked }}``: free text with phone, ID and bank-card numbers masked (evaluations/pii.py).

``{{ text|masked:revealed }}`` shows the text as written when ``revealed`` is true: only on a page
whose view logged the reveal (the work-order detail page after 显示完整文字).
"""

from django import template

from evaluations.pii import highlight_names, mask_text

register = template.Library()


@register.filter
def masked(text: str | None, revealed: bool = False) -> str:
    if revealed:
        return text or ""
    return mask_text(text)


@register.filter
def names_marked(text: str | None):
    """The text escaped with the spans that look like names in <mark>."""
    return highlight_names(text or "")
