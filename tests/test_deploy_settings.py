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
