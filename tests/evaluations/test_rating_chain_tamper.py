"""Tampering from outside the application, and ``ratings verify`` naming what was done (exit code 1).

The tamperer is the table owner on a raw psycopg connection of their own: they disable the append-only
trigger, change or delete a rating, enable it again; or insert a rating with an id below the last sealed
one. DESIGN §9 (hash chain, verify command); Qingdao art. 16 "评价数据自动生成、不可更改".
"""

import os
import subprocess
import sys

import psycopg
import pytest
from django.core.management import CommandError
from django.db import connection

from evaluations.models import Evaluation

from .chain_fixtures import SETTLED, TUESDAY, rate, seal_at, verify

# Committed rows, so that a second connection sees them; serialized_rollback: see test_sms_gateway.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.calendar]


def owner_sql(*statements: tuple[str, list]) -> None:
    """Run ``statements`` in one transaction on a connection of the owner's own."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as raw, raw.cursor() as cursor:
        cursor.execute("SET ROLE NONE")  # the suite's connections start as the app role (tests/db_roles.py)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
        for sql, values in statements:
            cursor.execute(sql, values)


def around_the_trigger(sql: str, values: list) -> None:
    owner_sql(
        ("ALTER TABLE evaluations_evaluation DISABLE TRIGGER evaluation_append_only", []),
        (sql, values),
        ("ALTER TABLE evaluations_evaluation ENABLE TRIGGER evaluation_append_only", []),
    )


@pytest.fixture
def sealed(org) -> list[Evaluation]:
    """Four sealed ratings; the id just below the first is left free (for an insertion out of order)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('evaluations_evaluation', 'id'))")
    ratings = [rate(org["zhanggong"], comment=f"第 {n} 条") for n in range(4)]
    seal_at(TUESDAY + SETTLED)
    assert "校验通过" in verify()
    return ratings


def test_design_s9_verify_names_the_rating_whose_grade_was_changed(sealed):
    around_the_trigger("UPDATE evaluations_evaluation SET grade = 1 WHERE id = %s", [sealed[1].pk])
    assert Evaluation.objects.get(pk=sealed[1].pk).grade == 1
    with pytest.raises(CommandError, match=rf"评价 #{sealed[1].pk} 已被改动") as failure:
        verify()
    assert failure.value.returncode == 1
    assert verify.stderr.count("已被改动") == 1  # type: ignore[attr-defined]  # only that one is named


def test_design_s9_verify_names_the_rating_that_was_deleted(sealed):
    around_the_trigger("DELETE FROM evaluations_evaluation WHERE id = %s", [sealed[2].pk])
    with pytest.raises(CommandError, match=rf"评价 #{sealed[2].pk} 已被删除"):
        verify()


def test_design_s9_verify_names_a_rating_inserted_below_the_last_sealed_id(sealed):
    low = sealed[0].pk - 1
    owner_sql(
        ("CREATE TEMP TABLE forged AS SELECT * FROM evaluations_evaluation WHERE id = %s", [sealed[0].pk]),
        ("UPDATE forged SET id = %s, grade = 1, comment = '补录'", [low]),
        ("INSERT INTO evaluations_evaluation SELECT * FROM forged", []),
    )
    with pytest.raises(CommandError, match=rf"评价 #{low} 插入顺序异常"):
        verify()
    # A later seal does not take it into the chain: it stays out of order.
    seal_at(TUESDAY + SETTLED * 2)
    with pytest.raises(CommandError, match=rf"评价 #{low} 插入顺序异常"):
        verify()


def test_design_s9_the_command_line_exits_1_on_failure_and_0_on_success(sealed):
    command = [sys.executable, "manage.py", "ratings", "verify"]
    env_db = connection.settings_dict["NAME"]
    env = {**os.environ, "TEST_DATABASE_NAME": "", "DATABASE_URL": _url(env_db)}
    passed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert (passed.returncode, passed.stdout.strip().splitlines()[-1]) == (0, "校验通过")
    around_the_trigger("UPDATE evaluations_evaluation SET comment = '改过' WHERE id = %s", [sealed[3].pk])
    failed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert failed.returncode == 1
    assert f"评价 #{sealed[3].pk} 已被改动" in failed.stderr


def _url(name: str) -> str:
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{name}"
