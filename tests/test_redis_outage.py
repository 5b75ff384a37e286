"""Issue 14 point 3, DESIGN §8 ("a task that finds Redis down loses nothing because the database is the
source of truth"): with the test's own Redis stopped mid-stream, signed device ratings and API
ratings are all stored exactly once, no response is a 500, the device page still opens and an export
that cannot be queued says so instead of waiting "pending" forever; after Redis is back, all is as
before. Things that truly need Redis answer 503 with Retry-After (JSON under /api/, a Chinese page)."""

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.auth import signed_headers
from devices.services.registry import device_register
from evaluations.models import Evaluation
from evaluations.services.apikeys import apikey_create
from evaluations.tokens import case_token
from reporting.models import ExportJob

from .redis_server import RedisServer, pointed_at, running_redis

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("ten_in_the_morning"),  # no rating or export range straddles midnight
]

DEVICE_URL = "/api/devices/v1/evaluations"
API_URL = "/api/v1/evaluations"


@pytest.fixture
def own_redis(settings) -> Iterator[RedisServer]:
    with running_redis() as server, pointed_at(server, settings):
        yield server


class Traffic:
    """Everything a device, a business system and an office user send; every status is kept."""

    def __init__(self, client, org, make_record) -> None:
        self.client, self.make_record = client, make_record
        self.device, self.secret = device_register(
            by=None, serial="EV-ZG-01", window=org["zhanggong"]["window"]
        )
        self.key = apikey_create(by=None, name="网上办事大厅")[1]
        self.statuses: list[tuple[str, int]] = []
        self.client_ids: list[str] = []

    def _keep(self, what: str, response):
        self.statuses.append((what, response.status_code))
        return response

    def device_post(self, body: dict, headers: dict[str, str] | None = None):
        data = json.dumps(body).encode()
        headers = headers or signed_headers(
            serial=self.device.serial, secret=self.secret, method="POST", path=DEVICE_URL, body=data
        )
        response = self.client.post(DEVICE_URL, data=data, content_type="application/json", headers=headers)
        return self._keep("device rating", response), headers

    def device_rating(self, *, retries: int = 1) -> list[int]:
        """One rating of a new case, sent 1 + ``retries`` times (a device retrying with fresh nonces)."""
        body = {"client_id": f"dev-{uuid4().hex}", "serial_no": self.make_record().serial_no, "grade": 5,
                "tags": [], "comment": "", "rated_at": timezone.localtime().isoformat()}  # fmt: skip
        self.client_ids.append(body["client_id"])
        return [self.device_post(body)[0].status_code for _ in range(1 + retries)]

    def api_rating(self, *, retries: int = 1) -> list[int]:
        body = {"client_id": f"web-{uuid4().hex}", "serial_no": self.make_record().serial_no, "grade": 4,
                "target": "matter", "stage": "completion", "tags": [], "channel": "pc"}  # fmt: skip
        self.client_ids.append(body["client_id"])
        headers = {"Authorization": f"Bearer {self.key}"}
        return [
            self._keep(
                "api rating",
                self.client.post(
                    API_URL, data=json.dumps(body), content_type="application/json", headers=headers
                ),
            ).status_code
            for _ in range(1 + retries)
        ]

    def citizen_rating(self) -> list[int]:
        """A citizen rates a case on the receipt's QR page (rate limits counted in Redis)."""
        url = reverse("citizen:case_rate", kwargs={"token": case_token(self.make_record())})
        form = self.page(url)
        client_id = re.search(r'name="matter-client_id" value="([^"]+)"', form.content.decode()).group(1)
        self.client_ids.append(client_id)
        posted = self._keep(
            "citizen rating", self.client.post(url, {"matter-grade": 5, "matter-client_id": client_id})
        )
        return [form.status_code, posted.status_code]

    def page(self, url: str):
        return self._keep(url, self.client.get(url))

    def export(self):
        today = timezone.localdate()
        week_ago = today - timedelta(days=7)
        form = {"kind": "evaluations", "file_format": "csv", "date_from": week_ago.isoformat(),
                "date_to": today.isoformat()}  # fmt: skip
        return self._keep("export", self.client.post("/reports/exports/", form))


@pytest.fixture
def traffic(client, org, owner, make_record, settings) -> Traffic:
    settings.EXPORT_INLINE_MAX = 0  # every export goes to the Celery queue
    client.raise_request_exception = False  # a 500 is counted, not raised
    client.force_login(owner)
    return Traffic(client, org, make_record)


def test_design_s8_a_redis_outage_loses_no_rating_and_answers_no_500(own_redis, traffic):
    assert traffic.device_rating(retries=0) == [201]
    assert traffic.api_rating(retries=0) == [201]

    own_redis.stop()
    assert not own_redis.is_up()
    for _ in range(3):
        assert traffic.device_rating() == [201, 200]  # the retry answers the first result, no new row
        assert traffic.api_rating() == [201, 200]
    # The citizen pages' rate limits fail open: a citizen's rating outweighs the limiter.
    assert traffic.citizen_rating() == [200, 302]
    # A replay of a signed request (same nonce) is still refused: nonces live in PostgreSQL.
    body = {"client_id": f"dev-{uuid4().hex}", "serial_no": traffic.make_record().serial_no, "grade": 3,
            "tags": [], "comment": "", "rated_at": timezone.localtime().isoformat()}  # fmt: skip
    traffic.client_ids.append(body["client_id"])
    first, headers = traffic.device_post(body)
    replay, _ = traffic.device_post(body, headers)
    assert first.status_code == 201
    assert (replay.status_code, replay.json()["errors"][0]["code"]) == (401, "replayed_nonce")

    assert traffic.page("/devices/").status_code == 200
    assert traffic.export().status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED  # not left "pending" for a worker that never heard of it
    assert "后台导出服务暂时不可用" in job.error
    assert "后台导出服务暂时不可用" in traffic.page("/reports/exports/").content.decode()

    own_redis.start()
    assert traffic.device_rating(retries=0) == [201]
    assert traffic.api_rating(retries=0) == [201]
    assert traffic.page("/devices/").status_code == 200
    assert traffic.export().status_code == 302
    queued = ExportJob.objects.exclude(pk=job.pk).get()
    assert queued.status == ExportJob.Status.PENDING
    assert own_redis.client().llen("celery") == 1  # the task message reached the restarted broker

    assert [status for status in traffic.statuses if status[1] >= 500] == []
    stored = list(Evaluation.objects.values_list("client_id", flat=True))
    assert sorted(stored) == sorted(traffic.client_ids)  # every rating once: none lost, none doubled
    assert len(stored) == 12  # 2 before, 8 during, 2 after the outage


@pytest.fixture
def needs_redis_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.outage_urls"


@pytest.mark.usefixtures("needs_redis_urls")
def test_design_s7_what_truly_needs_redis_answers_503_with_retry_after(own_redis, client):
    assert client.get("/api/outage-test/needs-redis").json() == {"value": None}
    assert client.get("/outage-test/page/").status_code == 200

    own_redis.stop()
    api = client.get("/api/outage-test/needs-redis")
    assert (api.status_code, api["Retry-After"]) == (503, "30")
    assert api.json()["errors"][0]["code"] == "temporarily_unavailable"
    assert "暂时不可用" in api.json()["errors"][0]["message"]
    page = client.get("/outage-test/page/")
    assert (page.status_code, page["Retry-After"]) == (503, "30")
    assert "服务暂时不可用" in page.content.decode()
