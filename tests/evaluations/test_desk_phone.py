"""Issue 14, point 8: a refused desk entry answers 422 with the form and its errors (not a 200 that
looks saved), and the evaluator's or contact's phone must be a mainland mobile or landline."""

import pytest
from django.core.exceptions import ValidationError

from evaluations.models import Evaluation, Feedback
from evaluations.validators import normalize_phone

from .test_desk import agent, entry  # noqa: F401  (agent is a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("13900001111", "13900001111"),
        ("139 0000 1111", "13900001111"),
        ("+86 139-0000-1111", "13900001111"),
        ("0797-8123456", "0797-8123456"),
        ("010 12345678", "01012345678"),
        ("0797-8123456-802", "0797-8123456-802"),
        ("0797-8123456转802", "0797-8123456转802"),
        ("8123456", "8123456"),
        ("", ""),
    ],
)
def test_issue14_p8_mainland_mobiles_and_landlines_are_accepted(written, kept):
    assert normalize_phone(written) == kept


@pytest.mark.parametrize(
    "written", ["call me maybe", "12345", "1390000111", "23900001111", "139000011112", "0797-81"]
)
def test_issue14_p8_anything_else_is_not_a_phone(written):
    with pytest.raises(ValidationError) as refused:
        normalize_phone(written)
    assert refused.value.code == "phone_format"


def test_issue14_p8_a_desk_entry_with_a_bad_phone_answers_422_with_the_error_by_the_field(
    client,
    agent,  # noqa: F811
    make_record,
):
    record = make_record()
    client.force_login(agent)
    response = entry(client, serial_no=record.serial_no, evaluator_phone="call me maybe")
    assert response.status_code == 422
    html = response.text
    field = html.index('id="id_evaluator_phone"')
    assert "请填写正确的电话号码" in html[field - 600 : field]
    assert 'value="call me maybe"' in html  # re-rendered with what was typed
    assert not Evaluation.objects.exists()

    saved = entry(client, serial_no=record.serial_no, evaluator_phone="139 0000 1111")
    assert saved.status_code == 302
    assert Evaluation.objects.get().evaluator_phone == "13900001111"


def test_issue14_p8_a_refused_feedback_answers_422(client, agent, org):  # noqa: F811
    client.force_login(agent)
    data = {
        "source": "hotline",
        "department": org["zhanggong"]["department"].pk,
        "content": "建议增加午间延时服务",
    }
    response = client.post("/desk/feedback/new/", {**data, "contact_phone": "call me maybe"})
    assert response.status_code == 422 and "请填写正确的电话号码" in response.text
    assert client.post("/desk/feedback/new/", {**data, "content": ""}).status_code == 422
    assert not Feedback.objects.exists()
