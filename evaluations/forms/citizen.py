"""Forms of the citizen pages. They only parse: every rule of a rating lives in the intake service."""

import re
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import BAD_GRADES, Grade, ServiceMatter, Staff, Tag, Target
from ..refusals import COMMENT_LIMIT
from ..services.intake import Rating
from .fields import FreeTextField

GRADE_CHOICES = sorted(Grade.choices, reverse=True)  # 非常满意 first, as on the paper form
CLIENT_ID = re.compile(r"^web-[0-9a-f]{32}$")


def new_client_id() -> str:
    """One per rendered form, so a double tap or a resent POST is answered, not written twice."""
    return f"web-{uuid.uuid4().hex}"


@dataclass
class TagGroup:
    grade: int
    label: str | Promise
    bad: bool
    options: list[BoundWidget]
    target: str | Promise = ""  # named when one rating carries the tags of staff and matter


class RatingForm(forms.Form):
    """One rating block: the grade, the tags of one target and a comment."""

    grade = forms.TypedChoiceField(
        label=_("满意程度"),
        choices=GRADE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度。"), "invalid_choice": _("请选择满意程度。")},
    )
    tags = forms.MultipleChoiceField(
        label=_("具体评价"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选的评价内容无效，请重新选择。")},
    )
    # The length rule (and its message) belongs to the intake service; maxlength only helps the phone.
    comment = FreeTextField(
        label=_("意见和建议"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_LIMIT}),
    )

    def __init__(
        self, *args, target: str, required: bool = True, with_staff_tags: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        # One rating of staff and matter (a batch, a joint-approval case; Tianjin art. 12-13) offers
        # the tags of both, matter first; the intake service tells them apart.
        targets = [target, Target.STAFF] if with_staff_tags and target != Target.STAFF else [target]
        tags = sorted(
            Tag.objects.filter(active=True, target__in=targets),
            key=lambda tag: (-tag.grade, targets.index(tag.target), tag.position),
        )
        self.tag_grade = {tag.code: tag.grade for tag in tags}
        self.tag_target = {tag.code: tag.target for tag in tags}
        self.target_labels = {t: Target(t).label for t in targets} if len(targets) > 1 else {}
        cast(forms.ChoiceField, self.fields["tags"]).choices = [(tag.code, tag.text) for tag in tags]
        self.fields["grade"].required = required
        self.fields["comment"].widget.attrs["aria-describedby"] = f"{self['comment'].auto_id}-count"

    def tag_groups(self) -> list[TagGroup]:
        """The tag checkboxes under the heading of the grade they belong to, best grade first."""
        groups: dict[tuple[int, str], TagGroup] = {}
        for option in self["tags"]:
            code = option.data["value"]
            grade, target = self.tag_grade[code], self.tag_target[code]
            if (grade, target) not in groups:
                label = Grade(grade).label
                named = self.target_labels.get(target, "")
                groups[grade, target] = TagGroup(grade, label, grade in BAD_GRADES, [], named)
            groups[grade, target].options.append(option)
        return list(groups.values())  # the tags come best grade first, so do the groups

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        something = data.get("tags") or (data.get("comment") or "").strip()
        if not self.fields["grade"].required and not data.get("grade") and something:
            self.add_error("grade", _("请选择满意程度；如不评价，请清除已选的内容。"))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.cleaned_data.get("grade"))

    def rating(self, **fields) -> Rating:
        data = self.cleaned_data
        return Rating(
            target=self.target,
            grade=data["grade"],
            tags=list(data["tags"]),
            comment=data["comment"],
            **fields,
        )


class CaseRatingForm(RatingForm):
    """The first block of a case page; carries the idempotency key of the whole submission and, for
    a case of a theme, whether the rating is of the whole theme (Tianjin art. 14)."""

    THEME, THIS = "theme", "this"

    client_id = forms.CharField(required=False, widget=forms.HiddenInput)
    theme_scope = forms.ChoiceField(
        label=_("评价范围"),
        choices=[(THEME, _("总体评价：同时适用于上列事项")), (THIS, _("只评价本事项"))],
        widget=forms.RadioSelect,
        required=False,
        initial=THEME,
        error_messages={"invalid_choice": _("请选择评价范围。")},
    )

    def clean_client_id(self) -> str | None:
        value = self.cleaned_data.get("client_id") or ""
        return value if CLIENT_ID.match(value) else None

    def rating(self, **fields) -> Rating:
        return super().rating(apply_to_theme=self.cleaned_data.get("theme_scope") != self.THIS, **fields)


class WindowRatingForm(CaseRatingForm):
    """The static window QR: the staff who served, optionally the matter handled."""

    staff = forms.ModelChoiceField(
        label=_("为您服务的工作人员"),
        queryset=Staff.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("请选择为您服务的工作人员。")},
    )
    matter = forms.ModelChoiceField(
        label=_("您办理的事项（选填）"),
        queryset=ServiceMatter.objects.none(),
        required=False,
        empty_label=_("— 不选择 —"),
        error_messages={"invalid_choice": _("请从列表中选择本窗口的事项。")},
    )

    def __init__(self, *args, staff: list[Staff], matters, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = Staff.objects.filter(
            pk__in=[person.pk for person in staff]
        )
        # With one person on duty there is nothing to choose: the service rates whoever is on duty.
        self.fields["staff"].required = len(staff) > 1
        cast(forms.ModelChoiceField, self.fields["matter"]).queryset = matters
