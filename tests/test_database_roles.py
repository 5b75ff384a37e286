"""Logged in as the app role for real, nothing can destroy or rewrite a rating (Qingdao art. 16: records
"自动生成、不可更改"; DESIGN §9; config/database_roles.py). The rest of the suite runs with the same
privileges through SET ROLE (tests/db_roles.py); here psycopg and a web server log in as the role."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg import errors

from config.database_roles import EVALUATION_UPDATABLE_COLUMNS, grant_app_role
from evaluations.models import Evaluation
from evaluations.services.apikeys import apikey_create
from evaluations.services.intake import Rating, evaluation_record

from .db_roles import as_owner

# transaction: psycopg's own sessions see committed rows only. serialized_rollback: as in
# test_sms_gateway, a plain flush would re-create the content types and break the next serialized test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parent.parent


def connect_as_app() -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        dbname=params["NAME"],
        user=settings.DATABASE_APP_ROLE,
        password=settings.DATABASE_APP_PASSWORD or None,
        autocommit=True,
    )


@pytest.fixture
def app() -> Iterator[psycopg.Connection]:
    with connect_as_app() as conn:
        yield conn


@pytest.fixture
def rating(make_record) -> Evaluation:
    graded = Rating(target="matter", stage="completion", grade=2, channel="pc", comment="等了两个小时")
    return evaluation_record(rating=graded, record=make_record()).evaluation


def test_qingdao_art16_the_app_role_is_a_plain_login_that_owns_nothing(app):
    assert app.execute("SELECT current_user, session_user").fetchone() == (settings.DATABASE_APP_ROLE,) * 2
    attributes = app.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert attributes == (False, False, False, False)
    owned = app.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user"
    ).fetchone()
    assert owned == (0,)


def test_qingdao_art16_the_app_role_records_a_rating_and_a_ruling_beside_it(app, rating):
    columns = [f.column for f in Evaluation._meta.concrete_fields if f.column not in ("id", "record_id")]
    copied = ", ".join("NULL" if c == "client_id" else c for c in columns)
    new_id = app.execute(
        f"INSERT INTO evaluations_evaluation ({', '.join(columns)}) "
        f"SELECT {copied} FROM evaluations_evaluation WHERE id = %s RETURNING id",
        [rating.pk],
    ).fetchone()[0]
    # A ruling is a row of its own; the database copies its outcome onto the rating (migration 0017).
    app.execute(
        "INSERT INTO evaluations_ruling (evaluation_id, outcome, reason, source, decided_at) "
        "VALUES (%s, 'not_adopted', '误评', 'appeal', now())",
        [new_id],
    )
    copy = Evaluation.objects.get(pk=new_id)
    assert (copy.grade, copy.comment, copy.validity) == (2, "等了两个小时", "not_adopted")
    # The role's column rights exist only for that trigger: its own UPDATE of them is refused.
    with pytest.raises(errors.RestrictViolation, match="set by a ruling"):
        app.execute("UPDATE evaluations_evaluation SET validity = 'valid' WHERE id = %s", [new_id])
    assert set(EVALUATION_UPDATABLE_COLUMNS) == {"validity", "validity_reason", "validity_changed_at"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE evaluations_evaluation SET grade = 5",
        "UPDATE evaluations_evaluation SET comment = ''",
        "UPDATE evaluations_evaluation SET late_upload = true",
        "UPDATE evaluations_evaluation SET flagged = true",
        "DELETE FROM evaluations_evaluation",
        "TRUNCATE evaluations_evaluation",
        "TRUNCATE evaluations_evaluation CASCADE",
        "TRUNCATE evaluations_servicerecord CASCADE",
        "TRUNCATE django_session",  # TRUNCATE on no table at all
        "ALTER TABLE evaluations_evaluation DISABLE TRIGGER ALL",
        "ALTER TABLE evaluations_evaluation DISABLE TRIGGER evaluation_append_only",
        "DROP TRIGGER evaluation_append_only ON evaluations_evaluation",
        "DROP TABLE evaluations_evaluation CASCADE",
        "CREATE TABLE evaluations_shadow (id int)",
        "DELETE FROM evaluations_flagreview",
        "DELETE FROM workorders_workorderevent",
        "DELETE FROM reporting_upstreammessage",
        "DELETE FROM evaluations_smsmessage",
        "DELETE FROM reporting_revisitreveal",
        "DELETE FROM django_admin_log",
        "DELETE FROM django_migrations",
    ],
)
def test_qingdao_art16_the_app_role_cannot_rewrite_destroy_or_unguard_ratings(app, rating, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        app.execute(statement)
    rating.refresh_from_db()
    assert (Evaluation.objects.count(), rating.grade, rating.comment) == (1, 2, "等了两个小时")
    triggers = app.execute(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'evaluations_evaluation'::regclass "
        "AND NOT tgisinternal ORDER BY tgname"
    ).fetchall()
    assert triggers == [
        ("evaluation_append_only", "O"),
        ("evaluation_late_upload_fixed", "O"),
        ("evaluation_outcome_by_ruling", "O"),
    ]


def test_design_s9_a_table_added_later_is_granted_at_the_next_migrate(app):
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE evaluations_later (id int)")
        assert grant_app_role(connection) is True
    try:
        app.execute("INSERT INTO evaluations_later VALUES (1)")
        assert app.execute("SELECT id FROM evaluations_later").fetchall() == [(1,)]
        with pytest.raises(errors.InsufficientPrivilege):
            app.execute("TRUNCATE evaluations_later")
    finally:
        with as_owner(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE evaluations_later")


def test_design_s9_grants_are_left_alone_by_a_process_that_runs_as_the_app_role():
    assert grant_app_role(connection) is False  # the suite's connections have the app role's privileges


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_as_app() -> Iterator[tuple[str, str]]:
    """gunicorn, as `make run` and docker-compose start the web process: DATABASE_CONNECT_AS=app."""
    port, name = _free_port(), f"hcp-role-test-{uuid4().hex[:8]}"
    owner_url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haochaping"))
    env = {
        **os.environ,
        "DATABASE_URL": owner_url._replace(path=f"/{connection.settings_dict['NAME']}").geturl(),
        "DATABASE_CONNECT_AS": "app",
        "PGAPPNAME": name,  # libpq: lets the test find the server's sessions in pg_stat_activity
        "DEBUG": "1",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):  # up to about 60 s on a loaded machine; a dead server fails at once
            assert server.poll() is None, "gunicorn stopped"
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)  # time-machine leaves sleep alone
        yield url, name
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_qingdao_art16_a_web_server_logged_in_as_the_app_role_takes_a_rating(web_as_app, make_record):
    url, name = web_as_app
    # The server runs on the real clock; the case and the rating are made on it too, whatever TEST_TODAY.
    hatch = time_machine.escape_hatch
    wall = hatch.time.time() if hatch.is_travelling() else time.time()
    real_now = datetime.fromtimestamp(wall, tz=timezone.get_current_timezone())
    with time_machine.travel(real_now, tick=True):
        record = make_record(
            accepted_at=real_now - timedelta(hours=2), completed_at=real_now - timedelta(hours=1)
        )
        key = apikey_create(by=None, name="网上办事大厅")[1]
    body = {"client_id": f"web-{uuid4().hex}", "serial_no": record.serial_no, "target": "matter",
            "stage": "completion", "grade": 5, "tags": [], "channel": "pc"}  # fmt: skip
    request = urllib.request.Request(
        f"{url}/api/v1/evaluations",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        created = json.loads(response.read())
    assert Evaluation.objects.get(pk=created["id"]).client_id == body["client_id"]
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = %s", [name])
        assert cursor.fetchall() == [(settings.DATABASE_APP_ROLE,)]  # the pool keeps its sessions open
