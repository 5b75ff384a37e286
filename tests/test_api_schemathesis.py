"""DESIGN §7 "never a 500 for bad input", issue 14 point 2: schemathesis over every OpenAPI schema we
serve, against the live server, with valid credentials.

- ``/api/openapi.json``: records, evaluations, tags and rankings (one API key that reads rankings);
- ``/api/devices/v1/openapi.json``: the device API, every generated request signed by a requests
  auth hook (devices.auth.signed_headers over the prepared request's exact method, path and body).

Each operation gets schema-conforming (positive) and schema-violating (negative) cases, a bounded
number of each, derandomized so that a run is reproducible. Every response must be no 5xx, carry a
documented status code and content type, and match its documented schema.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks

from devices.auth import signed_headers
from devices.services.registry import device_register
from evaluations.services.apikeys import apikey_create
from evaluations.services.duty import shift_start

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("own_counters"),
]

EXAMPLES_PER_MODE = 40  # × 2 modes × 5 operations: ~400 cases per schema
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


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


def _failures(schema_url: str, base_url: str, session: requests.Session) -> tuple[int, list[str]]:
    """Run every operation of the schema; the number of operations and one line per failing one."""
    schema = schemathesis.openapi.from_url(schema_url)
    operations, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            test = _operation_test(operation.as_strategy(generation_mode=mode), base_url, session)
            try:
                test()
            except Exception as error:  # every failure is reported: the first one per case
                failures.append(f"{operation.label} [{mode}]: {type(error).__name__}: {error}"[:2000])
    return operations, failures


def _operation_test(strategy, base_url: str, session: requests.Session) -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing case is reported
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def test(case) -> None:
        response = case.call(base_url=base_url, session=session)
        case.validate_response(response, checks=CHECKS)

    return test


def test_design_s7_records_evaluations_tags_rankings_schema_never_answers_5xx(live_server, org):
    _key, secret = apikey_create(by=None, name="业务系统", reads_rankings=True)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"

    operations, failures = _failures(f"{live_server.url}/api/openapi.json", live_server.url, session)

    assert operations == 5
    assert failures == [], "\n\n".join(failures)


def test_design_s7_signed_device_api_schema_never_answers_5xx(live_server, org):
    side = org["zhanggong"]
    device, secret = device_register(by=None, serial="EV-FUZZ-01", window=side["window"])
    shift_start(staff=side["staff"], window=side["window"], by=None)
    session = requests.Session()
    session.auth = DeviceSigner(device.serial, secret)

    operations, failures = _failures(
        f"{live_server.url}/api/devices/v1/openapi.json", live_server.url, session
    )

    assert operations == 5
    assert failures == [], "\n\n".join(failures)
