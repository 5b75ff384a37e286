"""DESIGN §7: device API paths have no trailing slash, and every JSON endpoint answers a 4xx with
``{"errors": [...]}``: a path with a trailing slash is a JSON 404, for POST too, never the browser's
CSRF page (页面已过期). The records API shares the construction and answers the same way."""

import json

import pytest
from django.test import Client

from devices.auth import signed_headers
from devices.services.registry import device_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a real request does (the test client skips it by default)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def evaluator(org):
    return device_register(by=None, serial="EV-ZG-404", window=org["zhanggong"]["window"])


def assert_json_404(response, *, hint: str | None) -> None:
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("", "not_found")
    assert error["message"].startswith("请求的地址不存在")
    if hint:
        assert hint in error["message"]


def test_design_s7_a_signed_post_with_a_trailing_slash_is_a_json_404(csrf_client, evaluator):
    device, secret = evaluator
    path = "/api/devices/v1/evaluations/"
    body = json.dumps(
        {"client_id": "dev-slash", "grade": 5, "rated_at": "2026-11-20T10:00:00+08:00"}
    ).encode()
    headers = signed_headers(serial=device.serial, secret=secret, method="POST", path=path, body=body)
    response = csrf_client.post(path, data=body, content_type="application/json", headers=headers)
    assert_json_404(response, hint="/api/devices/v1/evaluations")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/devices/v1/evaluations/"),
        ("POST", "/api/devices/v1/heartbeat/"),
        ("GET", "/api/devices/v1/pending/"),
        ("PUT", "/api/devices/v1/evaluations/"),
        ("POST", "/api/v1/evaluations/"),
        ("POST", "/api/v1/records/bulk/"),
    ],
)
def test_design_s7_every_method_with_a_trailing_slash_answers_json(csrf_client, method, path):
    response = csrf_client.generic(method, path, data=b"{}", content_type="application/json")
    assert_json_404(response, hint=path.rstrip("/"))


@pytest.mark.parametrize("path", ["/api/devices/v1/nothing/", "/api/devices/v1/nothing", "/api/v1/nothing/"])
def test_design_s7_an_unknown_path_is_a_json_404_without_a_hint(csrf_client, path):
    response = csrf_client.post(path, data=b"{}", content_type="application/json")
    assert_json_404(response, hint=None)
    assert "结尾斜杠" not in response.json()["errors"][0]["message"]


def test_the_pages_still_ask_for_a_csrf_token(csrf_client):
    """Only the JSON APIs are exempt: a form post to a page without a token is still refused."""
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
