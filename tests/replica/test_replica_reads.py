"""Reporting reads on a real streaming standby (config/db_router.py; docs/scaling.md): ``make test-replica``.

The proof that a read was served by the standby is twofold: the connection it ran on answers
``pg_is_in_recovery()`` with true, and with the standby's replay paused a row committed on the primary
is missing from the ranking read inside ``replica_reads()`` while a read outside it sees the row; once
replay resumes the ranking shows it too.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from django.db import connections, router
from django.test import Client

from config.db_router import replica_reads
from evaluations.models import Department, Region, Role, User
from evaluations.services.apikeys import apikey_create
from reporting.models import DepartmentMonthly
from reporting.periods import Period
from reporting.rankings import Scope, build_ranking, scale_for

from ..helpers import make_uscc
from .conftest import _owner_url, needs_standby, pause_replay, wait_for_replay

pytestmark = needs_standby
OCTOBER = Period.parse("2026-10")


def _province() -> Region:
    """A province of its own (the tests' rows stay in the throw-away database), with two departments."""
    code = f"{uuid.uuid4().int % 90 + 10:02d}0000000000"
    while Region.objects.filter(code=code).exists():
        code = f"{uuid.uuid4().int % 90 + 10:02d}0000000000"
    province = Region.objects.create(code=code, name="测试省", level=1)
    for number in (1, 2):
        _department_with_month(province, number)
    return province


def _department_with_month(province: Region, number: int) -> Department:
    department = Department.objects.create(
        name=f"测试部门{number}", code=make_uscc(province.code, number), region=province
    )
    DepartmentMonthly.objects.create(
        month=OCTOBER.first, region=province, department=department, g4=10 * number, g5=90, case_active=50
    )
    return department


@contextmanager
def aliases_used() -> Iterator[list[tuple[str, str]]]:
    """(alias, SQL) of every statement run on either server inside the block."""
    seen: list[tuple[str, str]] = []

    def recorder(alias: str) -> Callable:
        def wrapper(execute, sql, params, many, context):
            seen.append((alias, sql))
            return execute(sql, params, many, context)

        return wrapper

    with (
        connections["default"].execute_wrapper(recorder("default")),
        connections["replica"].execute_wrapper(recorder("replica")),
    ):
        yield seen


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def _department_ranking(province: Region) -> set[str]:
    scope = Scope.for_region(province)
    ranking = build_ranking("department", OCTOBER, scope, scale_for(scope))
    return {row.code for row in [*ranking.rows, *ranking.unranked]}


def test_the_replica_alias_is_a_standby_and_default_the_primary(standby):
    assert _in_recovery("replica") is True
    assert _in_recovery("default") is False
    with replica_reads():
        assert router.db_for_read(DepartmentMonthly) == "replica"
        assert router.db_for_write(DepartmentMonthly) == "default"
        assert _in_recovery(router.db_for_read(DepartmentMonthly)) is True
    assert router.db_for_read(DepartmentMonthly) == "default"


def test_a_department_ranking_is_served_by_the_standby(standby):
    province = _province()
    wait_for_replay()
    with replica_reads(), aliases_used() as seen:
        codes = _department_ranking(province)
    assert len(codes) == 2
    assert {alias for alias, _ in seen} == {"replica"}, seen
    assert any("reporting_departmentmonthly" in sql for _, sql in seen)

    pause_replay(True)
    try:
        third = _department_with_month(province, 3)  # committed on the primary only, for now
        with replica_reads():
            assert third.code not in _department_ranking(province)  # the standby has not replayed it
        assert third.code in _department_ranking(province)  # outside replica_reads(): the primary
    finally:
        pause_replay(False)
    wait_for_replay()
    with replica_reads():
        assert third.code in _department_ranking(province)


def test_a_write_inside_replica_reads_goes_to_the_primary(standby):
    province = _province()
    with replica_reads(), aliases_used() as seen:
        created = Region.objects.create(
            code=f"{province.code[:2]}0100000000", name="测试市", level=2, parent=province
        )
    assert any(alias == "default" and sql.startswith("INSERT") for alias, sql in seen)
    assert not any(
        alias == "replica" and not sql.lstrip().upper().startswith("SELECT") for alias, sql in seen
    )
    with psycopg.connect(_owner_url("default")) as primary:
        row = primary.execute("SELECT name FROM evaluations_region WHERE id = %s", [created.pk]).fetchone()
    assert row == ("测试市",)


def test_the_rankings_api_and_the_dashboard_read_the_standby(standby):
    province = _province()
    key = apikey_create(by=None, name=f"大屏-{province.code}", region=province, reads_rankings=True)[1]
    user = User.objects.create_user(
        username=f"office-{province.code}", password="pw-for-tests-1", name="省管理部门",
        role=Role.OFFICE, region=province,
    )  # fmt: skip
    wait_for_replay()
    client = Client()
    with aliases_used() as seen:
        response = client.get(
            "/api/v1/rankings", {"period": "2026-10"}, headers={"Authorization": f"Bearer {key}"}
        )
    assert response.status_code == 200, response.content
    assert len(response.json()["rows"]) == 2
    monthly = {alias for alias, sql in seen if "reporting_departmentmonthly" in sql}
    assert monthly == {"replica"}
    assert any(alias == "default" and "evaluations_apikey" in sql for alias, sql in seen)  # the key check

    client.force_login(user)
    with aliases_used() as seen:
        page = client.get("/reports/", {"period": "2026-10"})
        ranking_page = client.get("/reports/rankings/", {"period": "2026-10"})
    assert page.status_code == 200 and ranking_page.status_code == 200
    assert "测试部门2" in ranking_page.content.decode()
    assert any(alias == "replica" for alias, _ in seen)
    assert {alias for alias, sql in seen if "reporting_departmentmonthly" in sql} == {"replica"}
    assert {alias for alias, sql in seen if "django_session" in sql} == {"default"}  # before the view
