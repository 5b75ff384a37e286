"""The citizen's revisit page, reached from the SMS link: 满意 or 不满意, one tap, no login."""

import contextlib

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from evaluations.forms.fields import FreeTextField

from ..models import State
from ..services.base import WorkOrderBlocked
from ..services.revisit_link import order_for_token, workorder_revisit_answer


class RevisitForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("您对整改结果是否满意？"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“满意”或“不满意”。")},
    )
    comment = FreeTextField(label=_("还有什么想说的（选填）"), required=False, max_length=200,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


@require_http_methods(["GET", "POST"])
def revisit(request: HttpRequest, token: str) -> HttpResponse:
    order = order_for_token(token)
    if order is None:
        return render(request, "citizen/notice.html", {"kind": "not_found"}, status=404)
    done = order.state != State.REVISITING
    form = RevisitForm(request.POST or None)
    if request.method == "POST" and not done and form.is_valid():
        # Answered a moment ago in another tab: the thank-you page is the truth either way.
        with contextlib.suppress(WorkOrderBlocked):
            workorder_revisit_answer(
                order, satisfied=form.cleaned_data["answer"] == "yes", comment=form.cleaned_data["comment"]
            )
        done = True
    status = 422 if request.method == "POST" and not done else 200
    return render(
        request, "workorders/revisit.html", {"order": order, "form": form, "done": done}, status=status
    )
