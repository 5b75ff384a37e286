"""Issue 15 point 2, "honest codes", through the real outbox and a loopback platform (generic profile):
pf follows PROVINCIAL_INTERFACES.md — 6 短信, 7 系统默认评价 — and a default 满意 is flagged, never a
citizen's PC rating with an invented time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bench.upstream_platform import running_platform
from evaluations.models import Evaluation, Policy, Preset
from evaluations.services.apikeys import apikey_create
from evaluations.services.timeouts import timeouts_apply
from reporting.upstream.mapping import national_time
from reporting.upstream.push import upstream_push

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(settings):
    yield from running_platform(settings)


def stored_data(platform) -> list[dict]:
    return [message["data"] for message in platform.stored.values()]


def test_provincial_interfaces_pf6_a_rating_through_the_api_by_sms_goes_up_as_pf_6(
    client, make_record, platform
):
    record = make_record()
    key = apikey_create(by=None, name="短信评价")[1]
    rated_at = timezone.localtime() - timedelta(minutes=30)
    response = client.post(
        "/api/v1/evaluations",
        data={
            "client_id": "sms-0001",
            "serial_no": record.serial_no,
            "target": "matter",
            "stage": "completion",
            "grade": 4,
            "tags": [],
            "channel": "sms",
            "rated_at": rated_at.isoformat(),
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.content
    assert upstream_push().sent == 1
    [data] = stored_data(platform)
    assert (data["projectNo"], data["pf"], data["assessType"]) == (record.serial_no, "6", "1")
    assert data["assessTime"] == national_time(rated_at)  # the real rating time, to the second


def test_provincial_interfaces_pf7_a_timed_out_cases_default_goes_up_as_pf_7(closed_case, regions, platform):
    Policy.from_preset(Preset.GANZHOU, region=regions["province"]).save()  # default 满意 after the window
    timeouts_apply()
    assert upstream_push().sent == 1
    [data] = stored_data(platform)
    marker = Evaluation.objects.get(record=closed_case)
    assert (data["pf"], data["assessType"], data["satisfaction"]) == ("7", "2", "4")  # flagged a default
    assert data["assessTime"] == national_time(marker.rated_at) != ""
    assert data["assessTime"] == national_time(closed_case.rating_deadline)  # when the window closed
