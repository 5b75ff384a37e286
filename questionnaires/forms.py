"""Forms of the questionnaires. They parse; the rules (required, whose choice, 1-5) live in services."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from evaluations.forms.fields import FreeTextField
from evaluations.models import Region, User
from evaluations.scope import visible_to

from .models import SCALE, TEXT_LIMIT, Kind, Purpose, Question, Questionnaire
from .services import INVALID_CHOICE, INVALID_SCALE, NAME_LIMIT, AnswerValue


def regions_for(user: User) -> QuerySet[Region]:
    """The regions an office may survey: its own and the province, city and county levels below it."""
    own = Q(pk=user.region_id) if user.region_id else Q(pk__in=[])
    return visible_to(user, Region.objects.filter(Q(level__lte=Region.Level.COUNTY) | own)).order_by("path")


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * (obj.level - 1)}{obj.name}"  # indented by level, as a tree


class QuestionnaireForm(forms.Form):
    title = FreeTextField(label=_("问卷标题"), max_length=100)
    purpose = forms.ChoiceField(label=_("调查目的"), choices=Purpose.choices)
    region = RegionField(
        label=_("调查区划"),
        queryset=Region.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("请选择您管辖范围内的区划。")},
    )
    intro = FreeTextField(
        label=_("问卷说明（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("显示在问卷开头，例如调查的政策或服务，以及“本问卷匿名填写”。"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RegionField, self.fields["region"]).queryset = regions_for(user)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=Kind.choices)
    text = FreeTextField(label=_("题目"), max_length=200)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    choices = FreeTextField(
        label=_("选项（单选题、多选题填写，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def choice_lines(self) -> list[str]:
        return (self.cleaned_data.get("choices") or "").splitlines()


class IdsField(forms.Field):
    """Ticked boxes as choice ids; which ids belong to the question is the service's to say."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError(INVALID_CHOICE) from None


class IdField(forms.Field):
    """One radio button's value as an integer (a choice id or a scale value)."""

    widget = forms.RadioSelect

    def __init__(self, *, message: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(self.message) from None


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _field(question: Question) -> forms.Field:
    label = question.text
    if question.kind == Kind.SINGLE:
        options = [(c.pk, c.text) for c in question.choices.all()]
        return IdField(
            label=label, required=False, message=INVALID_CHOICE, widget=forms.RadioSelect(choices=options)
        )
    if question.kind == Kind.MULTIPLE:
        options = [(c.pk, c.text) for c in question.choices.all()]
        return IdsField(label=label, required=False, widget=forms.CheckboxSelectMultiple(choices=options))
    if question.kind == Kind.SCALE:
        marks = [(n, str(n)) for n in reversed(SCALE)]
        return IdField(
            label=label, required=False, message=INVALID_SCALE, widget=forms.RadioSelect(choices=marks)
        )
    if question.kind == Kind.TEXT:
        textarea = forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT})
        return FreeTextField(label=label, required=False, widget=textarea)
    attrs = {"autocomplete": "off"}
    if question.kind == Kind.PHONE:
        attrs |= {"inputmode": "tel", "maxlength": "20"}
    else:
        attrs |= {"maxlength": str(NAME_LIMIT)}
    return FreeTextField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


class SurveyForm(forms.Form):
    """The citizen's page: one field per question, named ``q<id>``, plus the page's one-time key."""

    client_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.prefetch_related("choices"))
        for question in self.questions:
            self.fields[field_name(question)] = _field(question)

    def items(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, AnswerValue]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def add_refusals(self, errors: dict[int, str]) -> None:
        for question in self.questions:
            if question.pk in errors:
                self.add_error(field_name(question), errors[question.pk])

    def first_error(self) -> str:
        for question in self.questions:
            if field_name(question) in self.errors:
                return f"question-{question.pk}"
        return ""
