"""What the tests of Tianjin art. 11-17 and of the follow-up rating (追评) share: rating a case through the
intake service, the evaluations API and the case link, and the cases and policies they start from."""

import json
import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import (
    Evaluation,
)
from evaluations.refusals import Refusal
from evaluations.services.intake import Rating, evaluation_record
from evaluations.tokens import case_token


def rate(record, **fields):
    values = {"target": "matter", "stage": "completion", "grade": 5, "channel": "qr"}
    values.update(fields)
    staff = values.pop("staff", None)
    return evaluation_record(rating=Rating(**values), record=record, staff=staff)


def refusal(record, **fields) -> Refusal:
    with pytest.raises(Refusal) as caught:
        rate(record, **fields)
    return caught.value


def rows(record, **filters) -> list[tuple[str, str, int, int | None]]:
    found = Evaluation.objects.filter(record=record, **filters).order_by("target", "stage", "assess_number")
    return [(e.target, e.stage, e.assess_number, e.grade) for e in found]


def api_rate(client, key: str, record, **fields):
    body = {
        "client_id": f"web-{uuid4().hex}",
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "pc",
        **fields,
    }
    return client.post(
        "/api/v1/evaluations",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def case_url(record) -> str:
    return reverse("citizen:case_rate", kwargs={"token": case_token(record)})


def page(client, record) -> str:
    return client.get(case_url(record)).content.decode()


def client_id_on(html: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}-client_id" value="([^"]+)"', html).group(1)


def joint_case(make_record, org, **fields):
    return make_record(joint_department_codes=[org["nankang"]["department"].code], **fields)


def accepted(make_record, org, **fields):
    now = timezone.now()
    return joint_case(
        make_record,
        org,
        status="accepted",
        completed_at=None,
        accepted_at=now - timedelta(minutes=20),
        **fields,
    )
