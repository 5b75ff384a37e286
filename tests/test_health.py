"""``/healthz``: 200 or 503 for anyone; the checks' details (issue 14, point 8: they named the Redis host
and port to anyone) only for staff and for the HEALTHZ_TOKEN bearer."""

import pytest

DETAILS = {"database": {"ok": True}, "redis": {"ok": True}, "status": "ok"}


@pytest.mark.django_db
def test_it_reports_ok_when_database_and_redis_answer(client, sysadmin):
    client.force_login(sysadmin)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == DETAILS


@pytest.mark.django_db
def test_it_answers_503_when_redis_is_down(client, settings, sysadmin):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    client.force_login(sysadmin)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": True}
    assert body["redis"]["ok"] is False
    assert "Connection" in body["redis"]["error"]


@pytest.mark.django_db
def test_issue14_p8_an_anonymous_caller_gets_the_status_only(client, settings):
    assert client.get("/healthz").json() == {"status": "ok"}
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "127.0.0.1" not in response.text and "Connection" not in response.text


@pytest.mark.django_db
def test_issue14_p8_the_monitoring_token_sees_the_details(client, settings):
    settings.HEALTHZ_TOKEN = "monitor-secret"
    assert client.get("/healthz", headers={"Authorization": "Bearer monitor-secret"}).json() == DETAILS
    assert client.get("/healthz", headers={"Authorization": "Bearer wrong"}).json() == {"status": "ok"}
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", headers={"Authorization": "Bearer "}).json() == {"status": "ok"}
