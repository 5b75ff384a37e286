"""The device registry: the admin, the hall dashboard (/devices/) and the clerk's "请评价" page."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devices.models import Device, PendingRating
from devices.selectors import hall_dashboard
from devices.services.registry import device_register
from evaluations.models import Role, User, Window
from evaluations.services.intake import Rating, evaluation_record

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/devices/device/add/"
LIST_URL = "/admin/devices/device/"


@pytest.fixture(autouse=True)
def own_cache(settings) -> None:
    """Real Redis under a key prefix of this test's own (alerts are kept there)."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-devices-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def manager(regions, org) -> User:
    """The 章贡区 hall manager."""
    return User.objects.create_user("hall_zg", password="pw-for-tests-1", role=Role.HALL_MANAGER,
                                    region=regions["zhanggong"])  # fmt: skip


@pytest.fixture
def stranger(regions, org) -> User:
    """The 南康区 hall manager: sees nothing of 章贡区."""
    return User.objects.create_user("hall_nk", password="pw-for-tests-1", role=Role.HALL_MANAGER,
                                    region=regions["nankang"])  # fmt: skip


@pytest.fixture
def clerk(org) -> User:
    """The clerk posted at the 章贡区 window, with a login of their own."""
    user = User.objects.create_user("clerk", password="pw-for-tests-1", role=Role.WINDOW_STAFF,
                                     department=org["zhanggong"]["department"])  # fmt: skip
    staff = org["zhanggong"]["staff"]
    staff.user = user
    staff.save(update_fields=["user"])
    return user


def register(side: dict, serial: str = "EV-ZG-01", **extra) -> tuple[Device, str]:
    return device_register(by=None, serial=serial, window=side["window"], **extra)


def raw_secret(device: Device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM devices_device WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


# --- admin ----------------------------------------------------------------------------------------


def test_the_admin_add_shows_the_secret_once_and_stores_it_encrypted(client, sysadmin, org):
    client.force_login(sysadmin)
    window = org["zhanggong"]["window"]
    response = client.post(
        ADD_URL, {"serial": "EV-0001", "kind": "evaluator", "window": window.pk}, follow=True
    )
    device = Device.objects.get(serial="EV-0001")
    assert (device.hall, device.window, device.active) == (window.hall, window, True)
    assert len(device.secret) == 64 and device.secret in response.content.decode()
    assert "请立即抄录，离开本页后无法再次查看" in response.content.decode()
    assert device.secret not in raw_secret(device)  # encrypted at rest
    again = client.get(LIST_URL)
    assert device.secret not in again.content.decode()


def test_the_admin_change_page_never_shows_or_edits_the_secret(client, sysadmin, org):
    device, secret = register(org["zhanggong"])
    client.force_login(sysadmin)
    url = reverse("admin:devices_device_change", args=[device.pk])
    html = client.get(url).content.decode()
    assert secret not in html and raw_secret(device) not in html
    assert 'name="secret"' not in html and 'name="serial"' not in html
    client.post(url, {"kind": "pad", "hall": device.hall_id, "window": device.window_id, "secret": "x" * 64})
    device.refresh_from_db()
    assert (device.kind, device.secret) == ("pad", secret)


def test_the_admin_refuses_a_window_of_another_hall_and_a_device_without_a_place(client, sysadmin, org):
    client.force_login(sysadmin)
    other = {"serial": "EV-X", "kind": "evaluator", "hall": org["zhanggong"]["hall"].pk,
             "window": org["nankang"]["window"].pk}  # fmt: skip
    assert "该窗口不属于所选大厅" in client.post(ADD_URL, other).content.decode()
    assert "请选择安装窗口" in client.post(ADD_URL, {"serial": "EV-X", "kind": "kiosk"}).content.decode()
    assert not Device.objects.filter(serial="EV-X").exists()


def test_the_admin_rotate_action_changes_the_secret_and_shows_the_new_one_once(client, sysadmin, org):
    device, old = register(org["zhanggong"])
    client.force_login(sysadmin)
    response = client.post(LIST_URL, {"action": "rotate", "_selected_action": [device.pk]}, follow=True)
    device.refresh_from_db()
    html = response.content.decode()
    assert device.secret != old and device.secret in html and old not in html
    assert device.rotated_at is not None


def test_the_admin_deactivates_and_activates_but_never_deletes(client, sysadmin, org):
    device, _secret = register(org["zhanggong"])
    client.force_login(sysadmin)
    client.post(LIST_URL, {"action": "deactivate", "_selected_action": [device.pk]})
    device.refresh_from_db()
    assert device.active is False
    client.post(LIST_URL, {"action": "activate", "_selected_action": [device.pk]})
    device.refresh_from_db()
    assert device.active is True
    assert client.get(reverse("admin:devices_device_delete", args=[device.pk])).status_code == 403


def test_a_hall_manager_keeps_the_devices_of_their_scope_in_the_admin(client, manager, org):
    register(org["zhanggong"], serial="EV-MINE")
    register(org["nankang"], serial="EV-THEIRS")
    client.force_login(manager)
    html = client.get(LIST_URL).content.decode()
    assert "EV-MINE" in html and "EV-THEIRS" not in html
    response = client.post(
        ADD_URL, {"serial": "EV-NEW", "kind": "evaluator", "window": org["nankang"]["window"].pk}
    )
    assert response.status_code == 200 and not Device.objects.filter(serial="EV-NEW").exists()


# --- the hall dashboard ---------------------------------------------------------------------------


def test_the_dashboard_computes_online_offline_and_never_from_the_last_heartbeat(org, manager):
    now = timezone.now()
    online, _ = register(org["zhanggong"], serial="EV-ON")
    offline, _ = register(org["zhanggong"], serial="EV-OFF")
    register(org["zhanggong"], serial="EV-NEW")
    Device.objects.filter(pk=online.pk).update(last_seen_at=now - timedelta(minutes=2), firmware="2.1.0")
    Device.objects.filter(pk=offline.pk).update(last_seen_at=now - timedelta(minutes=11))
    board = hall_dashboard(manager, org["zhanggong"]["hall"], now)
    statuses = {item.device.serial: item.status for item in board.rows[0].devices}
    assert statuses == {"EV-ON": "online", "EV-OFF": "offline", "EV-NEW": "never"}
    assert (board.totals["online"], board.totals["offline"], board.totals["never"]) == (1, 1, 1)


def test_the_dashboard_counts_todays_ratings_and_bad_ratings_at_each_window(client, org, manager):
    side = org["zhanggong"]
    now = timezone.now()
    for grade in (5, 4, 1):
        rating = Rating(target="staff", stage="completion", grade=grade, channel="qr", comment="等候时间太长")
        evaluation_record(rating=rating, window=side["window"])
    yesterday = now - timedelta(days=1, hours=1)
    rating = Rating(
        target="staff", stage="completion", grade=2, channel="qr", comment="慢", rated_at=yesterday
    )
    evaluation_record(rating=rating, window=side["window"], now=yesterday)
    row = hall_dashboard(manager, side["hall"], now).rows[0]
    assert (row.ratings, row.bad) == (3, 1)
    client.force_login(manager)
    html = client.get(reverse("devices:dashboard")).content.decode()
    assert side["window"].name in html and 'hx-trigger="every 30s"' in html and "立即刷新" in html


def test_an_outsider_hall_manager_sees_nothing_of_another_hall(client, org, manager, stranger):
    register(org["zhanggong"], serial="EV-ZG")
    client.force_login(stranger)
    html = client.get(reverse("devices:dashboard")).content.decode()
    assert org["nankang"]["hall"].name in html
    assert "EV-ZG" not in html and org["zhanggong"]["hall"].name not in html
    assert client.get(reverse("devices:dashboard"), {"hall": "H-zhanggong"}).status_code == 404


def test_the_htmx_refresh_gets_only_the_list(client, org, manager):
    client.force_login(manager)
    response = client.get(reverse("devices:dashboard"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "dv-table" in html


def test_window_clerks_and_departments_may_not_open_the_dashboard(client, clerk, colleague):
    for user in (clerk, colleague):
        client.force_login(user)
        assert client.get(reverse("devices:dashboard")).status_code == 403


def test_a_manager_registers_a_device_on_the_page_and_sees_the_secret_once(client, org, manager):
    side = org["zhanggong"]
    client.force_login(manager)
    url = reverse("devices:register", args=[side["hall"].code])
    response = client.post(url, {"serial": "EV-PAGE", "kind": "evaluator", "window": side["window"].pk})
    device = Device.objects.get(serial="EV-PAGE")
    html = response.content.decode()
    assert device.secret in html and "请立即抄录，离开本页后无法再次查看" in html
    assert "no-store" in response["Cache-Control"]
    assert LogEntry.objects.filter(object_id=str(device.pk), user=manager).exists()
    assert device.secret not in client.get(reverse("devices:dashboard")).content.decode()


def test_the_page_refuses_a_taken_serial_a_window_of_another_hall_and_an_evaluator_without_window(
    client, org, manager
):
    register(org["zhanggong"], serial="EV-TAKEN")
    client.force_login(manager)
    url = reverse("devices:register", args=["H-zhanggong"])
    taken = client.post(
        url, {"serial": "EV-TAKEN", "kind": "evaluator", "window": org["zhanggong"]["window"].pk}
    )
    assert "已经登记过" in taken.content.decode()
    client.post(url, {"serial": "EV-ELSEWHERE", "kind": "evaluator", "window": org["nankang"]["window"].pk})
    no_window = client.post(url, {"serial": "EV-NOWIN", "kind": "evaluator"})
    assert "须选择安装窗口" in no_window.content.decode()
    assert client.post(url, {"serial": "带 空格", "kind": "kiosk"}).status_code == 200
    assert set(Device.objects.values_list("serial", flat=True)) == {"EV-TAKEN"}
    client.post(url, {"serial": "KIOSK-1", "kind": "kiosk"})
    assert Device.objects.get(serial="KIOSK-1").window is None


def test_a_manager_rotates_after_confirming_and_deactivates_from_the_page(client, org, manager, stranger):
    device, old = register(org["zhanggong"])
    client.force_login(manager)
    url = reverse("devices:rotate", args=[device.pk])
    assert "确认更换密钥" in client.get(url).content.decode()
    response = client.post(url)
    device.refresh_from_db()
    assert device.secret != old and device.secret in response.content.decode()
    client.post(reverse("devices:set_active", args=[device.pk]), {"active": "0"})
    device.refresh_from_db()
    assert device.active is False
    client.force_login(stranger)
    assert client.post(url).status_code == 404
    assert client.post(reverse("devices:set_active", args=[device.pk]), {"active": "1"}).status_code == 404


# --- the clerk's "请评价" ----------------------------------------------------------------------------


@pytest.mark.usefixtures("ten_in_the_morning")  # "today's cases": not just after midnight
def test_the_clerk_puts_a_case_of_today_on_the_evaluator(client, org, clerk, make_record):
    now = timezone.now()
    first = make_record(completed_at=now - timedelta(minutes=20), accepted_at=now - timedelta(hours=1))
    make_record(completed_at=now - timedelta(minutes=5), accepted_at=now - timedelta(hours=1))
    window = org["zhanggong"]["window"]
    client.force_login(clerk)
    page = client.get(reverse("devices:window", args=[window.code])).content.decode()
    assert first.serial_no in page and "请评价" in page
    response = client.post(
        reverse("devices:ask_rating", args=[window.code]), {"record": first.pk}, follow=True
    )
    pending = PendingRating.objects.get(window=window)
    assert (pending.record, pending.set_by) == (first, "clerk")
    assert "已推送到本窗口评价器" in response.content.decode()


def test_the_clerk_cannot_offer_an_old_case_nor_open_another_window(client, org, clerk, make_record):
    old = make_record()  # completed yesterday
    window = org["zhanggong"]["window"]
    client.force_login(clerk)
    client.post(reverse("devices:ask_rating", args=[window.code]), {"record": old.pk})
    assert not PendingRating.objects.filter(window=window, record=old, set_by="clerk").exists()
    assert client.get(reverse("devices:window", args=[org["nankang"]["window"].code])).status_code == 404
    assert client.post(reverse("devices:ask_rating", args=[org["nankang"]["window"].code])).status_code == 404


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_size_of_the_hall(client, org, manager):
    client.force_login(manager)
    url = reverse("devices:dashboard")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    hall = org["zhanggong"]["hall"]
    for number in range(2, 12):
        window = Window.objects.create(hall=hall, code=f"ZG-{number:02d}", name=f"第{number}窗口")
        device_register(by=None, serial=f"EV-{number:02d}", window=window)
    with CaptureQueriesContext(connection) as large:
        assert "EV-11" in client.get(url).content.decode()
    assert len(large) == len(small)


def test_the_workbench_links_managers_to_the_dashboard_and_clerks_to_their_window(
    client, manager, clerk, org
):
    client.force_login(manager)
    assert reverse("devices:dashboard") in client.get("/").content.decode()
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert reverse("devices:window", args=[org["zhanggong"]["window"].code]) in html
    assert "评价设备与二维码" not in html


def test_every_change_to_a_device_is_in_its_history_whoever_makes_it(org, manager):
    """The registry services write the history themselves (evaluations.audit); a shell command has no
    user and writes none."""
    from devices.services.registry import device_rotate_secret, device_set_active

    side = org["zhanggong"]
    device, _secret = device_register(by=manager, serial="EV-AUDIT", window=side["window"], note="页面登记")
    device_rotate_secret(by=manager, device=device)
    device_set_active(by=manager, device=device, active=False)
    device_register(by=None, serial="EV-SHELL", window=side["window"])
    history = LogEntry.objects.filter(object_id=str(device.pk), user=manager).order_by("pk")
    assert [entry.get_change_message() for entry in history] == ["页面登记", "更换密钥", "停用"]
    assert LogEntry.objects.count() == 3
