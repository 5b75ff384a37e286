"""Forms of the forum and assessment pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Region, User

from ..models import Forum
from .fields import DateInput, departments_in, regions_for


class ForumForm(forms.Form):
    title = forms.CharField(label=_("座谈会名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=Forum.Kind.choices)
    region = forms.ModelChoiceField(label=_("所属区划"), queryset=None, empty_label=None)
    held_on = forms.DateField(label=_("座谈日期"), widget=DateInput())
    venue = forms.CharField(label=_("地点"), max_length=200, required=False)
    attendees = forms.CharField(
        label=_("参加人员"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("人大代表、政协委员及参加部门，每行一位或用顿号分隔。"),
    )
    note = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)


class ForumIssueForm(forms.Form):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=None)
    raised_by = forms.CharField(label=_("提出人"), max_length=100, required=False)
    description = forms.CharField(
        label=_("反映的问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_in(region)


class AssessmentForm(forms.Form):
    title = forms.CharField(label=_("评估名称"), max_length=200)
    assessor = forms.CharField(label=_("评估机构"), max_length=200)
    region = forms.ModelChoiceField(label=_("评估区划"), queryset=None, empty_label=None)
    period_start = forms.DateField(label=_("评估期起"), widget=DateInput())
    period_end = forms.DateField(label=_("评估期止"), widget=DateInput())

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("评估结果表（.xlsx）"),
        help_text=_("第一行为表头：统一社会信用代码、得分（必填），部门名称、排名、评估意见（选填）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只能导入 .xlsx 文件。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload
