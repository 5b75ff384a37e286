"""Forms of the work-order pages: the inbox filters (GET) and one small form per action (POST)."""

import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluations.forms.fields import FreeTextField
from evaluations.models import Channel, Department
from evaluations.pii import flagged_names, highlight_names
from evaluations.scope import visible_to

from .models import (
    CITIZEN_RESULTS,
    REINSPECTION_RESULTS,
    Category,
    ContactWay,
    RevisitChannel,
    RevisitResult,
    Source,
    State,
)
from .services.bulk import BULK_ACTIONS, BULK_LIMIT, DispatchChoice, Pick
from .services.extensions import not_a_working_day
from .services.public_reply import public_reply_draft

ANY = [("", _("全部"))]
PAGE_SIZES = (20, 50, 100)


class InboxFilterForm(forms.Form):
    """Filters of the inbox; a value that does not parse is dropped, never a 400."""

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("工单编号或办件编号"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入编号或前几位")}),
    )
    source = forms.ChoiceField(label=_("来源"), choices=ANY + Source.choices, required=False)
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部")
    )
    category = forms.ChoiceField(label=_("类别"), choices=ANY + Category.choices, required=False)
    state = forms.ChoiceField(label=_("状态"), choices=ANY + State.choices, required=False)
    channel = forms.ChoiceField(label=_("评价渠道"), choices=ANY + Channel.choices, required=False)
    created_from = forms.DateField(
        label=_("生成日期（起）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("生成日期（止）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    per_page = forms.TypedChoiceField(
        label=_("每页"), choices=[(n, n) for n in PAGE_SIZES], coerce=int, required=False,
        widget=forms.HiddenInput,
    )  # fmt: skip

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments  # declared above

    def choice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("source", "department", "category", "state", "channel")]

    def filters(self) -> dict[str, Any]:
        """The values that parsed (an unbound form filters nothing)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


# --- bulk actions of the inbox -------------------------------------------------------------------

_NUMBER = re.compile(r"[A-Z]{2}\d{6}-\d{1,12}", re.ASCII)
_ID = re.compile(r"\d{1,9}", re.ASCII)


class OrderNumbersField(forms.Field):
    """The ticked rows' ``order`` checkboxes: order numbers, each once, at most BULK_LIMIT."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return list(dict.fromkeys(str(item).strip().upper() for item in values if str(item).strip()))

    def validate(self, value: list[str]) -> None:
        if not value:
            raise forms.ValidationError(_("请先勾选要处理的工单。"), code="required")
        if len(value) > BULK_LIMIT:
            raise forms.ValidationError(
                _("一次最多处理 %(limit)d 件工单，您勾选了 %(n)d 件。"),
                code="too_many",
                params={"limit": BULK_LIMIT, "n": len(value)},
            )
        if any(not _NUMBER.fullmatch(number) for number in value):
            raise forms.ValidationError(_("工单编号格式不正确。"), code="invalid")


class BulkForm(forms.Form):
    """One submission of the inbox's list: which action, which orders, and per row the state the list
    showed and, to dispatch, the row's category and department (name-number fields)."""

    action = forms.ChoiceField(
        choices=[(name, name) for name in BULK_ACTIONS],
        error_messages={"required": _("请选择要执行的操作。"), "invalid_choice": _("没有这个批量操作。")},
    )
    order = OrderNumbersField()

    def picks(self) -> list[Pick]:
        data, action = self.data, self.cleaned_data["action"]
        picks = []
        for number in self.cleaned_data["order"]:
            seen = str(data.get(f"seen-{number}", ""))[:16]
            if action != "dispatch":
                picks.append(Pick(number, seen))
                continue
            department = str(data.get(f"department-{number}", "")).strip()
            # "" keeps the suggested department; not a number: no department has id 0, so the service
            # refuses this row alone.
            department_id = (int(department) if _ID.fullmatch(department) else 0) if department else None
            picks.append(
                DispatchChoice(
                    number,
                    seen,
                    category=str(data.get(f"category-{number}", ""))[:16],
                    department_id=department_id,
                )
            )
        return picks


# --- actions ------------------------------------------------------------------------------------


def _text(label: Any, *, required: bool = True, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return FreeTextField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(forms.Form):
    """Every action form carries the state the user saw, so a stale page is told apart (409)."""

    seen_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["seen_state"].initial = order.state


class NoteForm(ActionForm):
    note = _text(_("说明（选填）"), required=False, rows=2)


class ReasonForm(ActionForm):
    note = _text(_("理由"))


class DispatchForm(ActionForm):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    department = forms.ModelChoiceField(
        label=_("改派其他部门（选填）"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("不改派"),
        help_text=_("不选则派给评价所属部门。"),
    )
    note = _text(_("派发说明（选填）"), required=False, rows=2)

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, order=order, user=user, **kwargs)
        if order is not None:
            self.fields["category"].initial = order.category
            if order.is_supervision:
                self.fields["department"].help_text = _("不选则派给查评发现问题的部门。")
        if user is not None:
            departments = visible_to(user, Department.objects.filter(active=True).order_by("name"))
            if order is not None:
                departments = departments.exclude(pk=order.department_id)
            cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments  # declared above


class SubmitForm(ActionForm):
    rectification = _text(_("整改情况"), rows=4, help_text=_("核实了什么、怎样整改、何时完成。"))
    reply = _text(_("答复评价人"), rows=3, help_text=_("提交后将以短信发送给评价人。"))

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, order=order, user=user, **kwargs)
        if order is not None and order.is_supervision:
            del self.fields["reply"]  # no citizen behind a supervision finding: the office reads the report
            self.fields["rectification"].help_text = _("针对查评发现的问题：核实了什么、怎样整改、何时完成。")


def _choices(choices: list[tuple[str, Any]], values: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [choice for choice in choices if choice[0] in values]


class RevisitForm(ActionForm):
    """The citizen's answer to a revisit; for a supervision order the office's re-inspection (复查)."""

    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=_choices(RevisitResult.choices, CITIZEN_RESULTS),
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label=_("回访方式"),
        choices=[c for c in RevisitChannel.choices if c[0] != RevisitChannel.REINSPECTION],
        initial=RevisitChannel.HOTLINE,
    )
    note = _text(_("回访记录（选填）"), required=False, rows=2)

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, order=order, user=user, **kwargs)
        if order is not None and order.is_supervision:
            result = cast(forms.ChoiceField, self.fields["result"])  # declared above
            result.label = _("复查结果")
            result.choices = _choices(RevisitResult.choices, REINSPECTION_RESULTS)
            channel = cast(forms.ChoiceField, self.fields["channel"])
            channel.label = _("复查方式")
            channel.choices = _choices(RevisitChannel.choices, (RevisitChannel.REINSPECTION,))
            channel.initial = RevisitChannel.REINSPECTION
            self.fields["note"].label = _("复查记录（选填）")


class ContactForm(ActionForm):
    """已联系评价人: when and how the citizen was reached (the contact limit, Tianjin art. 20)."""

    contacted_at = forms.DateTimeField(
        label=_("联系时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    way = forms.ChoiceField(
        label=_("联系方式"), choices=[c for c in ContactWay.choices if c[0] != ContactWay.REPLY]
    )
    note = _text(
        _("联系情况（选填）"), required=False, rows=2, help_text=_("例如：已电话致歉，说明整改安排。")
    )

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, order=order, user=user, **kwargs)
        self.fields["contacted_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self._dispatched_at = getattr(order, "dispatched_at", None)

    def clean_contacted_at(self) -> Any:
        at = self.cleaned_data["contacted_at"]
        if at > timezone.now():
            raise forms.ValidationError(_("联系时间不能晚于现在。"))
        if self._dispatched_at is not None and at < self._dispatched_at.replace(second=0, microsecond=0):
            raise forms.ValidationError(_("联系时间不能早于派发时间。"))
        return at


class AppealForm(ActionForm):
    reason = _text(_("申诉理由"))
    evidence = _text(_("证据说明（选填）"), required=False, rows=2)


class ExtensionForm(ActionForm):
    new_due = forms.DateField(label=_("申请延至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _text(_("延期理由"))

    def clean_new_due(self) -> Any:
        new_due = self.cleaned_data["new_due"]
        if refusal := not_a_working_day(new_due):  # the service's own rule, said next to the field
            raise forms.ValidationError(refusal)
        return new_due


class ExtensionDecisionForm(ActionForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("同意延期")), ("reject", _("不同意"))],
        widget=forms.RadioSelect,
    )
    note = _text(_("审核意见"), required=False, rows=2, help_text=_("不同意时必填。"))

    def clean(self) -> dict[str, Any]:
        super().clean()  # Form.clean returns cleaned_data itself
        data = self.cleaned_data
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("不同意延期时请说明理由。"))
        return data


class PublicReplyForm(ActionForm):
    """The office's public version of the reply: prefilled with the reply, numbers masked; spans that
    look like names are shown marked above the box, to be removed or confirmed (issue 14)."""

    public_reply = _text(_("公开答复"), rows=4)
    names_confirmed = forms.BooleanField(label=_("已核对：标出的词不是个人姓名"), required=False)

    def __init__(self, *args: Any, order: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, order=order, user=user, **kwargs)
        field = self.fields["public_reply"]
        if order is not None:
            field.initial = public_reply_draft(order)
        text = self.data.get(self.add_prefix("public_reply"), "") if self.is_bound else field.initial
        self.names = flagged_names(text or "")
        if self.names:
            field.help_text = format_html(
                '{}<span class="pii-preview">{}</span>',
                _("标黄的词像是姓名：请从公开答复中删除，或勾选下方的确认。"),
                highlight_names(text),
            )
        else:
            field.help_text = _("号码已自动隐去部分数字。请确认没有姓名等能认出个人的内容后再审定。")
