"""Forms of the inspection pages: a plan, a visit, a finding with its photo, and 转为整改工单."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Hall, ServiceMatter, User, Window
from evaluations.scope import visible_to
from workorders.models import Category as OrderCategory

from ..models import Category, Inspection, Severity, Visit
from ..photos import checked_photo
from .fields import (
    DATETIME_FORMAT,
    DateInput,
    DateTimeInput,
    PersonChoice,
    WindowChoice,
    WindowsChoice,
    departments_in,
    inspectors_for,
    regions_for,
    windows_in,
)


class InspectionForm(forms.Form):
    subject = forms.CharField(label=_("督查主题"), max_length=200)
    kind = forms.ChoiceField(label=_("方式"), choices=Inspection.Kind.choices)
    region = forms.ModelChoiceField(label=_("督查区划"), queryset=None, empty_label=None)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    halls = forms.ModelMultipleChoiceField(
        label=_("督查大厅"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    windows = WindowsChoice(
        label=_("督查窗口"), queryset=None, required=False, help_text=_("可多选；不选则不限窗口。")
    )
    inspectors = PersonChoice(label=_("督查人员"), queryset=None, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("工作要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)
        self.fields["halls"].queryset = visible_to(user, Hall.objects.order_by("code"))
        self.fields["windows"].queryset = visible_to(
            user, Window.objects.select_related("hall").order_by("code")
        )
        self.fields["inspectors"].queryset = inspectors_for(user)


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    mode = forms.ChoiceField(label=_("方式"), choices=Inspection.Kind.choices)
    hall = forms.ModelChoiceField(label=_("大厅"), queryset=None, required=False, empty_label=_("（不限）"))
    window = WindowChoice(label=_("窗口"), queryset=None, required=False, empty_label=_("（不限）"))
    summary = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, inspection: Inspection, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        halls = inspection.halls.all() or Hall.objects.filter(region__path__startswith=inspection.region.path)
        windows = inspection.windows.select_related("hall") or windows_in(inspection.region)
        self.fields["hall"].queryset = halls.order_by("code")
        self.fields["window"].queryset = windows.order_by("code")
        self.fields["mode"].initial = inspection.kind


class FindingForm(forms.Form):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)
    window = WindowChoice(label=_("窗口"), queryset=None, required=False, empty_label=_("（同走访窗口）"))
    matter = forms.ModelChoiceField(
        label=_("事项"), queryset=None, required=False, empty_label=_("（不涉及具体事项）")
    )
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    photo = forms.FileField(
        label=_("照片（选填）"),
        required=False,
        help_text=_("JPEG 或 PNG，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, visit: Visit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = visit.inspection.region
        self.fields["department"].queryset = departments_in(region)
        self.fields["window"].queryset = windows_in(region)
        self.fields["matter"].queryset = ServiceMatter.objects.filter(
            department__region__path__startswith=region.path
        ).order_by("code")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return checked_photo(photo) if photo else None


class RectifyForm(forms.Form):
    category = forms.ChoiceField(
        label=_("工单类别"), choices=OrderCategory.choices, initial=OrderCategory.GENERAL
    )
