"""Issue 14 point 2 in the server-rendered forms (desk, citizen pages, reviews, work orders, revisits):
Django's CharField already refuses NUL (ProhibitNullCharactersValidator) in every field; free-text
fields also lose the other control characters (evaluations/forms/fields.py)."""

import pytest
from django import forms

from evaluations.forms.citizen import RatingForm
from evaluations.forms.desk import FeedbackAnswerForm, FeedbackForm, RatingEntryForm
from evaluations.forms.fields import FreeTextField
from evaluations.forms.flags import FlagDecisionForm
from reporting.revisits.forms import CallForm
from workorders.forms import AppealForm, SubmitForm
from workorders.views.revisit import RevisitForm

FREE_TEXT = [
    (RatingEntryForm, "comment"),
    (RatingEntryForm, "evaluator_name"),
    (FeedbackForm, "content"),
    (FeedbackForm, "contact_name"),
    (FeedbackAnswerForm, "answer"),
    (RatingForm, "comment"),
    (FlagDecisionForm, "reason"),
    (SubmitForm, "rectification"),
    (SubmitForm, "reply"),
    (AppealForm, "reason"),
    (RevisitForm, "comment"),
    (CallForm, "note"),
]


@pytest.mark.parametrize(("form", "name"), FREE_TEXT)
def test_issue14_p2_free_text_fields_strip_control_characters_and_refuse_nul(form, name):
    field = form.base_fields[name]
    assert isinstance(field, FreeTextField)
    assert field.clean("窗口\u0008热情\r\n耐心\u001b\u0085\t周到") == "窗口热情\r\n耐心\t周到"
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("好\u0000")
    assert refused.value.error_list[0].code == "null_characters_not_allowed"
    assert "不能包含空字符" in refused.value.messages[0]


@pytest.mark.parametrize(("form", "name"), [(RatingEntryForm, "serial_no"), (FeedbackForm, "contact_phone")])
def test_issue14_p2_every_char_field_refuses_nul(form, name):
    with pytest.raises(forms.ValidationError) as refused:
        form.base_fields[name].clean("1\u00002")
    assert refused.value.error_list[0].code == "null_characters_not_allowed"


def test_issue14_p2_a_required_text_of_only_control_characters_is_blank(db):
    form = FeedbackAnswerForm(data={"answer": "\u0001\u0002 "})
    assert not form.is_valid()
    assert form.errors.as_data()["answer"][0].code == "required"


def test_issue14_p2_a_desk_feedback_keeps_the_words_without_the_controls(db, org):
    department = org["zhanggong"]["department"]
    form = FeedbackForm(
        data={
            "source": "hotline",
            "department": department.pk,
            "content": "排队\u0007太久",
            "contact_name": "李\u0000",
        },
        departments=type(department).objects.all(),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["contact_name"]
    assert form.cleaned_data["content"] == "排队太久"


@pytest.mark.calendar
@pytest.mark.usefixtures("own_counters")
def test_issue14_p2_the_citizen_page_stores_a_comment_without_control_characters(client, make_record):
    from evaluations.models import Evaluation

    from .test_citizen_pages import rate_case

    response = rate_case(client, make_record(), **{"matter-comment": "办事\u0008很快\u001b"})
    assert response.status_code == 302
    assert Evaluation.objects.get().comment == "办事很快"


@pytest.mark.calendar
@pytest.mark.usefixtures("own_counters")
def test_issue14_p2_the_citizen_page_refuses_a_nul_without_a_500(client, make_record):
    from evaluations.models import Evaluation

    from .test_citizen_pages import rate_case

    response = rate_case(client, make_record(), **{"matter-comment": "好\u0000"})
    assert response.status_code == 422  # the form again, with Django's message next to the comment
    assert "不能包含空字符（NUL）" in response.content.decode()
    assert not Evaluation.objects.exists()
