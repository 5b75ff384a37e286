"""Issue 14 point 2 on the signed device API (DESIGN §7): a NUL is a 422 ``nul_character`` wherever it
is sent, a control character in a staff number is refused, one in a comment is stripped."""

import pytest

from evaluations.models import Evaluation

from .test_device_api import call, codes, evaluator, rating  # noqa: F401 - evaluator is a fixture

pytestmark = pytest.mark.django_db


def test_issue14_p2_a_device_comment_with_a_nul_is_refused(client, org, evaluator):  # noqa: F811
    response = call(client, evaluator, "POST", "evaluations", rating(comment="好\u0000"))
    assert response.status_code == 422
    assert codes(response) == [("comment", "nul_character")]
    assert not Evaluation.objects.exists()


def test_issue14_p2_a_device_comment_loses_other_control_characters(client, org, evaluator):  # noqa: F811
    response = call(client, evaluator, "POST", "evaluations", rating(comment="很\u001b好\u009b"))
    assert response.status_code == 201
    assert Evaluation.objects.get().comment == "很好"


def test_issue14_p2_a_staff_number_with_a_nul_or_a_control_character_is_refused(client, org, evaluator):  # noqa: F811
    assert codes(call(client, evaluator, "POST", "duty/sign-in", {"staff_no": "S\u0000"})) == [
        ("staff_no", "nul_character")
    ]
    assert codes(call(client, evaluator, "POST", "duty/sign-in", {"staff_no": "S\u0007"})) == [
        ("staff_no", "control_character")
    ]
    assert codes(call(client, evaluator, "POST", "heartbeat", {"firmware": "1.0\u0000"})) == [
        ("firmware", "nul_character")
    ]
