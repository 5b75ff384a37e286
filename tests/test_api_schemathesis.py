"""DESIGN §7 "never a 500 for bad input", issue 14 point 2: schemathesis over every OpenAPI schema we
serve, against the live server, with valid credentials.

- ``/api/openapi.json``: records, evaluations, tags and rankings (one API key that reads rankings);
- ``/api/devices/v1/openapi.json``: the device API, every generated request signed by a requests
  auth hook (devices.auth.signed_headers over the prepared request's exact method, path and body).

Each operation gets schema-conforming (positive) and schema-violating (negative) cases, a bounded
number of each, derandomized so that a run is reproducible. Every response must be no 5xx, carry a
documented status code and content type, and match its documented schema.
"""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from devices.auth import signed_headers
from devices.services.registry import device_register
from evaluations.services.apikeys import apikey_create
from evaluations.services.duty import shift_start

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("own_counters"),
]

EXAMPLES_PER_MODE = 25  # × 2 modes × 6 operations: 300 cases per schema
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

# Every operation answered, and the services reached past the schema (not only 422s): the runs below
# must have seen at least these (operation, status) pairs.
REACHED_RECORDS_API = {
    ("PUT /api/v1/records/{serial_no}", 201),
    ("POST /api/v1/records/bulk", 200),
    ("POST /api/v1/evaluations", 201),
    ("POST /api/v1/evaluations/bulk", 200),
    ("GET /api/v1/tags", 200),
    ("GET /api/v1/rankings", 200),
}
REACHED_DEVICE_API = {
    ("POST /api/devices/v1/heartbeat", 200),
    ("GET /api/devices/v1/pending", 200),
    ("POST /api/devices/v1/evaluations", 201),
    ("POST /api/devices/v1/evaluations/bulk", 200),
    ("POST /api/devices/v1/duty/sign-in", 200),
    ("POST /api/devices/v1/duty/sign-out", 200),
}


class DeviceSigner(requests.auth.AuthBase):
    """Signs each request as an evaluator does (DESIGN §7), after schemathesis has built it."""

    def __init__(self, serial: str, secret: str) -> None:
        self.serial, self.secret = serial, secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        path = urlsplit(request.url or "").path
        request.headers.update(
            signed_headers(
                serial=self.serial, secret=self.secret, method=request.method or "GET", path=path, body=body
            )
        )
        return request


def _ground(body: object, known: dict[str, object]) -> object:
    """The body with the codes it names replaced by ones that exist, so a case reaches the services
    (a new record, a rating of a real case) instead of stopping at "unknown matter"."""
    if isinstance(body, list):  # bulk items keep their serial numbers: the rated case stays completed
        others = {key: value for key, value in known.items() if key != "serial_no"}
        return [_ground(item, others) for item in body]
    if isinstance(body, dict):
        return {key: known.get(key, value) for key, value in body.items()}
    return body


def _run(
    schema_url: str, base_url: str, session: requests.Session, known: dict[str, object]
) -> tuple[Counter[tuple[str, int]], list[str]]:
    """Run every operation of the schema: how often each (operation, status) was answered, and one
    entry per operation and mode whose cases failed a check."""
    schema = schemathesis.openapi.from_url(schema_url)
    statuses: Counter[tuple[str, int]] = Counter()
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            test = _operation_test(strategy, base_url, session, known, statuses)
            try:
                test()
            except Exception as error:  # every failure is reported: the first one per case
                failures.append(f"{operation.label} [{mode}]: {type(error).__name__}: {error}"[:2000])
    return statuses, failures


def _operation_test(
    strategy,
    base_url: str,
    session: requests.Session,
    known: dict[str, object],
    statuses: Counter[tuple[str, int]],
) -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing case is reported
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, grounded=st.booleans())
    def test(case, grounded: bool) -> None:
        if grounded:  # half the cases use real codes and plausible times
            case.body = _ground(case.body, known)
        response = case.call(base_url=base_url, session=session)
        statuses[(case.operation.label, response.status_code)] += 1
        case.validate_response(response, checks=CHECKS)

    return test


def _known(org, make_record) -> dict[str, object]:
    """Values that exist, or times that are plausible, for the fields of the same name."""
    side = org["zhanggong"]
    now = timezone.localtime()
    return {
        "accepted_at": (now - timedelta(hours=2)).isoformat(),
        "completed_at": (now - timedelta(hours=1)).isoformat(),
        "rated_at": now.isoformat(),
        "tags": [],
        "grade": 5,  # integer-valued floats (5.0) are valid JSON Schema integers, but not our grades
        "matter_code": side["matter"].code,
        "department_code": side["department"].code,
        "region_code": side["department"].region.code,
        "window_code": side["window"].code,
        "staff_no": side["staff"].staff_no,
        "serial_no": make_record("SN-FUZZ-1").serial_no,
    }


def test_design_s7_records_evaluations_tags_rankings_schema_never_answers_5xx(live_server, org, make_record):
    known = _known(org, make_record)
    _key, secret = apikey_create(by=None, name="业务系统", reads_rankings=True)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"

    statuses, failures = _run(f"{live_server.url}/api/openapi.json", live_server.url, session, known)

    assert failures == [], "\n\n".join(failures)
    assert set(statuses) >= REACHED_RECORDS_API, sorted(statuses.items())


def test_design_s7_signed_device_api_schema_never_answers_5xx(live_server, org, make_record):
    known = _known(org, make_record)
    side = org["zhanggong"]
    device, secret = device_register(by=None, serial="EV-FUZZ-01", window=side["window"])
    shift_start(staff=side["staff"], window=side["window"], by=None)
    session = requests.Session()
    session.auth = DeviceSigner(device.serial, secret)

    schema_url = f"{live_server.url}/api/devices/v1/openapi.json"
    statuses, failures = _run(schema_url, live_server.url, session, known)

    assert failures == [], "\n\n".join(failures)
    assert set(statuses) >= REACHED_DEVICE_API, sorted(statuses.items())
