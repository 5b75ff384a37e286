"""Issue 14, point 8: the schema says ``grade`` is an integer, and JSON has one number type: ``3.0``
is the grade 3 in both APIs (business systems, window devices), ``3.5`` is refused as ``not_integer``."""

import pytest

from evaluations.models import Evaluation

from ..devices.test_device_api import call, evaluator  # noqa: F401  (the device fixture)
from ..devices.test_device_api import codes as device_codes
from ..devices.test_device_api import rating as device_rating
from .test_api_evaluations import errors_of, key, post, rating  # noqa: F401  (key is a fixture)

pytestmark = pytest.mark.django_db


def test_issue14_p8_the_evaluations_api_takes_3_0_as_the_grade_3(client, key, make_record):  # noqa: F811
    response = post(client, key, rating(make_record(), grade=3.0, assess_number=1.0))
    assert response.status_code == 201, response.content
    evaluation = Evaluation.objects.get()
    assert (evaluation.grade, evaluation.assess_number) == (3, 1)


def test_issue14_p8_the_evaluations_api_refuses_3_5_as_not_an_integer(client, key, make_record):  # noqa: F811
    response = post(client, key, rating(make_record(), grade=3.5))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in errors_of(response)] == [("grade", "not_integer")]
    assert not Evaluation.objects.exists()


def test_issue14_p8_the_device_api_takes_4_0_and_refuses_4_5(client, evaluator, make_record):  # noqa: F811
    refused = call(
        client, evaluator, "POST", "evaluations", device_rating(serial_no=make_record().serial_no, grade=4.5)
    )
    assert refused.status_code == 422 and device_codes(refused) == [("grade", "not_integer")]
    record = make_record()
    taken = call(
        client, evaluator, "POST", "evaluations", device_rating(serial_no=record.serial_no, grade=4.0)
    )
    assert taken.status_code == 201, taken.content
    assert Evaluation.objects.get(record=record).grade == 4


def test_issue14_p8_the_schema_still_says_integer(client):
    schema = client.get("/api/openapi.json").json()
    grade = schema["components"]["schemas"]["EvaluationIn"]["properties"]["grade"]
    assert grade["type"] == "integer"
