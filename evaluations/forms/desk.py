from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Channel, Department, Feedback, Grade, Hall, Staff, Stage, Tag, Target, Window
from ..validators import normalize_phone
from .citizen import CLIENT_ID
from .fields import FreeTextField

GRADE_CHOICES = sorted(Grade.choices, reverse=True)  # 非常满意 first, as on the paper form


def tag_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for tag in Tag.objects.filter(active=True).order_by("target", "-grade", "position"):
        heading = f"{tag.get_target_display()} · {tag.get_grade_display()}"
        groups.setdefault(heading, []).append((tag.code, tag.text))
    return list(groups.items())


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.name}（{obj.staff_no}）· {obj.department.name}"


class RatingEntryForm(forms.Form):
    """A rating heard on the 12345 line or read off a paper form, entered by an agent or clerk."""

    channel = forms.ChoiceField(
        label=_("评价渠道"),
        choices=[(Channel.PHONE, _("电话（12345 热线）")), (Channel.PAPER, _("纸质评价表"))],
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
    )
    serial_no = forms.CharField(label=_("办件编号"), required=False, max_length=64)
    # One per rendered form and the entering user's own (issue 14): a double click is answered once.
    client_id = forms.CharField(required=False, widget=forms.HiddenInput)
    window = forms.ModelChoiceField(
        label=_("窗口"),
        queryset=Window.objects.none(),
        required=False,
        help_text=_("没有办件编号时，选择被评价的窗口。"),
    )
    staff = StaffChoiceField(
        label=_("被评价的工作人员"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("— 按签到记录 —"),
        help_text=_(
            "没有办件时：不选则计入评价时间在该窗口签到的工作人员；无人签到时只计入窗口；"
            "多人在岗时请选择，或勾选“只评价窗口”。"
        ),
    )
    window_only = forms.BooleanField(label=_("只评价窗口，不计入个人"), required=False)
    target = forms.ChoiceField(label=_("评价对象"), choices=Target.choices, initial=Target.MATTER)
    stage = forms.ChoiceField(label=_("评价环节"), choices=Stage.choices, initial=Stage.COMPLETION)
    # 追评 (51号 三(一); the platforms' assessNumber 2): once per case, target and stage, within the window.
    assess_number = forms.TypedChoiceField(
        label=_("评价次数"),
        choices=[(1, _("首次评价")), (2, _("追评（对已评价的办件追加评价）"))],
        coerce=int,
        initial=1,
        required=False,
        empty_value=None,  # not chosen: a first rating
        widget=forms.RadioSelect,
    )
    theme_one = forms.BooleanField(
        label=_("主题业务：只评价本事项（分别评价）"),
        required=False,
        help_text=_("不勾选时，对主题业务办件事项的评价适用于该主题下尚未评价的全部已办结事项。"),
    )
    grade = forms.TypedChoiceField(
        label=_("评价等级"), choices=GRADE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(label=_("评价标签"), required=False, widget=forms.CheckboxSelectMultiple)
    comment = FreeTextField(label=_("评价内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evaluator_name = FreeTextField(label=_("评价人姓名"), required=False, max_length=50)
    evaluator_phone = forms.CharField(label=_("评价人电话"), required=False, max_length=20)
    rated_at = forms.DateTimeField(
        label=_("评价时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("纸质评价表填写表上的日期；留空为现在。"),
    )

    def __init__(self, *args, windows=None, staff=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["window"]).queryset = (
            windows if windows is not None else Window.objects.none()
        )
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = (
            staff if staff is not None else Staff.objects.none()
        )
        cast(forms.ChoiceField, self.fields["tags"]).choices = tag_choices()

    def clean_client_id(self) -> str | None:
        value = self.cleaned_data.get("client_id") or ""
        return value if CLIENT_ID.match(value) else None

    def clean_evaluator_phone(self) -> str:
        return normalize_phone(self.cleaned_data["evaluator_phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("serial_no") and not data.get("window"):
            self.add_error("serial_no", _("请填写办件编号，或选择被评价的窗口。"))
        if data.get("rated_at") and data["rated_at"] > timezone.now():
            self.add_error("rated_at", _("评价时间不能晚于现在。"))
        if data.get("staff") and data.get("serial_no"):
            self.add_error("staff", _("有办件编号时，评价计入该办件的经办人，不必选择工作人员。"))
        elif data.get("staff") and data.get("window_only"):
            self.add_error("window_only", _("已选择工作人员时，不能同时勾选“只评价窗口”。"))
        return data


class FeedbackForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=Feedback.Source.choices)
    department = forms.ModelChoiceField(
        label=_("被点评部门"), queryset=Department.objects.none(), required=False
    )
    hall = forms.ModelChoiceField(label=_("被点评大厅"), queryset=Hall.objects.none(), required=False)
    content = FreeTextField(label=_("点评内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = FreeTextField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)

    def __init__(self, *args, departments=None, halls=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = (
            departments if departments is not None else Department.objects.none()
        )
        cast(forms.ModelChoiceField, self.fields["hall"]).queryset = (
            halls if halls is not None else Hall.objects.none()
        )

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("department") and not data.get("hall"):
            self.add_error("department", _("请选择被点评的部门或大厅。"))
        return data


class FeedbackAnswerForm(forms.Form):
    answer = FreeTextField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
