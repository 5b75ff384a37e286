"""Shared fixtures: a small region tree, departments, and users inside and outside each other's scope."""

import gc
import os
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings

from evaluations.models import Department, Hall, Region, Role, ServiceMatter, Staff, User, Window

from .db_roles import assume_app_role, back_to_owner
from .helpers import make_uscc

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# around it are ordinary synchronous calls, so Django's async guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def plain_static_files() -> Iterator[None]:
    """Serve static files from the source folders: the live server cannot see a collected manifest.

    The production path (collectstatic + manifest) is covered by test_deploy_settings.
    """
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The test database is created and migrated as the owner; the tests run as the app role
    (tests/db_roles.py, README 安全)."""
    with django_db_blocker.unblock():
        assume_app_role()
    yield
    with django_db_blocker.unblock():
        back_to_owner()


@pytest.fixture(scope="session", autouse=True)
def close_connection_pools(django_db_setup) -> Iterator[None]:
    """Give back every pooled connection before the test database is dropped.

    Django keeps one connection wrapper per thread *and* per context; Playwright's greenlets run
    in contexts of their own, so wrappers opened there are invisible to ``connections.all()``.
    """
    yield
    connections.close_all()
    for wrapper in gc.get_objects():
        # type(), not isinstance(): isinstance() asks a lazy object (a request's user left in memory)
        # for its __class__, which loads it from the database after the test database is gone.
        if issubclass(type(wrapper), BaseDatabaseWrapper) and wrapper.connection is not None:
            wrapper.connection.close()
            wrapper.connection = None
    for connection in connections.all():
        connection.close_pool()


@pytest.fixture
def november_2026() -> Iterator[None]:
    """The hand-made reporting data sets are of 2026-Q3 and October 2026: their tests fix their own
    moment, Friday 20 November 2026 10:00 Beijing time (ticking), whatever TEST_TODAY says."""
    from .reporting.reporting_fixtures import NOVEMBER_2026

    with time_machine.travel(NOVEMBER_2026, tick=True):
        yield


@pytest.fixture
def own_counters(settings) -> None:
    """Real Redis, with a key prefix of this test's own: rate-limit counters never leak between tests or
    runs (the live server thread of a browser test sees the same settings). Use with usefixtures."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def ten_in_the_morning() -> Iterator[None]:
    """Today (whatever TEST_TODAY says) at 10:00 Beijing, ticking: no shift of the duty tests straddles
    midnight. Use with usefixtures."""
    from datetime import datetime, time

    from django.utils import timezone

    moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(autouse=True)
def fresh_policy_cache() -> None:
    """Each test starts without the policies an earlier test's (rolled back) rows left in the cache."""
    from evaluations.models.apikeys import forget_keys
    from evaluations.policies import forget_policies

    forget_policies()
    forget_keys()


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def regions(db) -> dict[str, Region]:
    province = Region.objects.create(code="360000000000", name="江西省", level=1)
    city = Region.objects.create(code="360700000000", name="赣州市", level=2, parent=province)
    zhanggong = Region.objects.create(code="360702000000", name="章贡区", level=3, parent=city)
    nankang = Region.objects.create(code="360703000000", name="南康区", level=3, parent=city)
    town = Region.objects.create(code="360702001000", name="解放街道", level=4, parent=zhanggong)
    village = Region.objects.create(code="360702001001", name="厚德路社区", level=5, parent=town)
    return {
        "province": province,
        "city": city,
        "zhanggong": zhanggong,
        "nankang": nankang,
        "town": town,
        "village": village,
    }


@pytest.fixture
def org(regions) -> dict:
    """Two district departments with a hall, a window, a staff member and a matter each."""
    out: dict = {}
    for number, key in enumerate(("zhanggong", "nankang"), start=1):
        region = regions[key]
        department = Department.objects.create(
            name=f"{region.name}市场监督管理局", code=make_uscc(region.code, number), region=region
        )
        hall = Hall.objects.create(code=f"H-{key}", name=f"{region.name}政务服务中心", region=region)
        window = Window.objects.create(hall=hall, code=f"W-{key}", name="综合受理窗口")
        window.departments.add(department)
        staff = Staff.objects.create(
            name=f"{region.name}张三", staff_no=f"S-{key}", department=department, window=window
        )
        matter = ServiceMatter.objects.create(
            code=f"M-{key}", name="个体工商户设立登记", department=department
        )
        out[key] = {
            "department": department,
            "hall": hall,
            "window": window,
            "staff": staff,
            "matter": matter,
        }
    return out


def _user(username: str, role: str, **scope) -> User:
    user = User.objects.create_user(
        username=username, password="pw-for-tests-1", name=username, role=role, **scope
    )
    return user


@pytest.fixture
def owner(regions, org) -> User:
    """The 章贡区 management office."""
    return _user("owner", Role.OFFICE, region=regions["zhanggong"])


@pytest.fixture
def colleague(regions, org) -> User:
    """A handler of the 章贡区 department."""
    return _user("colleague", Role.DEPARTMENT, department=org["zhanggong"]["department"])


@pytest.fixture
def outsider(regions, org) -> User:
    """The 南康区 management office: sees nothing of 章贡区."""
    return _user("outsider", Role.OFFICE, region=regions["nankang"])


@pytest.fixture
def sysadmin(db) -> User:
    return _user("root", Role.SYSADMIN)


@pytest.fixture
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


@pytest.fixture
def make_record(org):
    """Build a case of the 章贡区 department; completed yesterday unless told otherwise."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluations.services.records import RecordData, record_upsert

    counter = iter(range(1, 10_000))

    def build(serial_no: str | None = None, **overrides):
        side = org["zhanggong"]
        now = timezone.now()
        fields = {
            "matter_code": side["matter"].code,
            "department_code": side["department"].code,
            "region_code": side["department"].region.code,
            "channel": "window",
            "status": "completed",
            "accepted_at": now - timedelta(days=1, hours=1),
            "completed_at": now - timedelta(days=1),
            "window_code": side["window"].code,
            "staff_no": side["staff"].staff_no,
            "applicant_type": "person",
            "applicant_name": "王小明",
            "applicant_phone": "13812345678",
            "applicant_id_number": "360702199001011234",
        }
        fields.update(overrides)
        record, _created = record_upsert(
            serial_no=serial_no or f"SN-{next(counter):05d}", data=RecordData(**fields)
        )
        return record

    return build


@pytest.fixture
def closed_case(make_record):
    """A case completed 10 working days ago, unrated: its 5-working-day window closed, holidays or not."""
    from .helpers import working_days_ago

    long_ago = working_days_ago(10)
    return make_record(accepted_at=long_ago, completed_at=long_ago)


# --- work orders (helpers in workorder_fixtures.py) ---------------------------------------------


@pytest.fixture
def people(regions, org, owner, colleague, outsider, sysadmin) -> dict[str, User]:
    """One user of every role, in and out of the scope of a 章贡区 department's orders."""
    from .workorders.workorder_fixtures import people_of_every_role

    return people_of_every_role(regions, org, owner, colleague, outsider, sysadmin)


@pytest.fixture
def new_order(make_record):
    """A work order just opened by a bad rating of a 章贡区 case: state created."""
    from .workorders.workorder_fixtures import bad_order

    return bad_order(make_record())


@pytest.fixture
def local_departments(regions) -> dict[str, ServiceMatter]:
    """A matter of a township (街道) department and one of a village (社区) service point."""
    out = {}
    for number, key in enumerate(("town", "village"), start=11):
        region = regions[key]
        department = Department.objects.create(
            name=f"{region.name}便民服务中心", code=make_uscc(region.code, number), region=region
        )
        out[key] = ServiceMatter.objects.create(code=f"M-{key}", name="居住证办理", department=department)
    return out


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the accessibility measurements and axe-core results (tests/accessibility) when they ran."""
    from .accessibility.report import axe_lines, summary_lines

    for title, lines in (("适老化 measurements (care mode)", summary_lines()), ("axe-core", axe_lines())):
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
