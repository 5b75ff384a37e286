"""`check --deploy` with production settings, and the collected static files production serves."""

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
    "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "ALLOWED_HOSTS": "hcp.example.gov.cn",
}


def test_production_settings_leave_only_the_hsts_preload_note():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "security.W021" in output  # HSTS preload: README explains why it is off for intranets
    assert "System check identified 1 issue" in output


def test_development_defaults_are_flagged():
    result = manage("check", "--deploy", DEBUG="0")
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the development SECRET_KEY
    assert "haochaping.W001" in output  # the development FIELD_ENCRYPTION_KEY
    assert "security.W008" in output  # HTTPS not switched on


def test_a_malformed_field_key_is_an_error():
    result = manage("check", "--deploy", **{**PRODUCTION, "FIELD_ENCRYPTION_KEY": "short"})
    assert result.returncode != 0
    assert "haochaping.E001" in result.stdout + result.stderr


def test_collectstatic_builds_the_manifest_production_serves(tmp_path):
    result = manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "css/app.css" in manifest
    assert "admin/css/base.css" in manifest


def public_base_url(**env: str) -> str:
    environment = {key: "" for key in ("PUBLIC_BASE_URL", "HOST", "PORT")} | env
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.PUBLIC_BASE_URL)", **environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_sms_and_qr_links_follow_the_port_make_run_serves_on():
    assert public_base_url() == "http://127.0.0.1:8000"
    assert public_base_url(PORT="8123") == "http://127.0.0.1:8123"
    assert public_base_url(HOST="0.0.0.0", PORT="8123") == "http://127.0.0.1:8123"
    assert public_base_url(HOST="10.1.2.3", PORT="80") == "http://10.1.2.3:80"
    assert public_base_url(PUBLIC_BASE_URL="https://hcp.example.gov.cn", PORT="8123") == (
        "https://hcp.example.gov.cn"
    )
