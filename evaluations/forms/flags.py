from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FlagDecision
from ..services.flags import MESSAGES, REASON_LIMIT
from .fields import FreeTextField


class FlagDecisionForm(forms.Form):
    """One flagged rating's decision: the button pressed names it; a ruling needs a reason."""

    decision = forms.ChoiceField(
        choices=FlagDecision.choices, error_messages={"required": MESSAGES["decision_invalid"]}
    )
    reason = FreeTextField(
        label=_("理由"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "认定为刷评或恶意评价时必填，如：同一地址 2 分钟内连续评价同一窗口 8 次，现场核实无对应办事人。"
        ),
    )

    def __init__(self, *args, evaluation_id: int, **kwargs) -> None:
        kwargs["prefix"] = f"flag-{evaluation_id}"
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["invalid_choice"] = MESSAGES["decision_invalid"]
        self.fields["reason"].error_messages["max_length"] = str(MESSAGES["reason_too_long"]) % {
            "limit": REASON_LIMIT
        }

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == FlagDecision.RULED and not data.get("reason", "").strip():
            self.add_error("reason", MESSAGES["reason_required"])
        return data
