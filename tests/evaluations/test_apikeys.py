"""API keys: issued, rotated and revoked by service, admin and command; the full key shown once."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import ApiKey, ServiceRecord
from evaluations.services.apikeys import ApiKeyError, apikey_create, apikey_revoke, apikey_rotate

pytestmark = pytest.mark.django_db

KEY = re.compile(r"hcp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
ADMIN = "/admin/evaluations/apikey/"


def push_case(client, full_key: str, org, serial_no: str = "SN-1"):
    side = org["zhanggong"]
    body = {
        "matter_code": side["matter"].code,
        "department_code": side["department"].code,
        "region_code": side["department"].region.code,
        "channel": "online",
        "status": "accepted",
        "accepted_at": "2025-10-09T09:30:00+08:00",
        "applicant": {"type": "person", "name": "王小明"},
    }
    return client.put(
        f"/api/v1/records/{serial_no}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {full_key}"},
    )


def test_a_new_key_is_returned_once_and_stored_only_as_a_hash(regions):
    key, full_key = apikey_create(by=None, name="  网上办事大厅 ", region=regions["city"])
    assert KEY.fullmatch(full_key) and key.name == "网上办事大厅"
    key.refresh_from_db()
    assert full_key.split("_")[1] == key.prefix and full_key.split("_")[2] not in key.key_hash
    assert ApiKey.authenticate(full_key) == key and key.region == regions["city"]


def test_a_name_is_required_and_unique(db):
    apikey_create(by=None, name="网上办事大厅")
    with pytest.raises(ApiKeyError, match="已存在"):
        apikey_create(by=None, name="网上办事大厅")
    with pytest.raises(ApiKeyError, match="请填写"):
        apikey_create(by=None, name=" ")


def test_rotating_replaces_the_secret_and_revoking_stops_it(db):
    key, old = apikey_create(by=None, name="网上办事大厅")
    new = apikey_rotate(by=None, key=key)
    key.refresh_from_db()
    assert ApiKey.authenticate(old) is None and ApiKey.authenticate(new) == key and key.rotated_at
    apikey_revoke(by=None, key=key)
    key.refresh_from_db()
    assert not key.active and key.revoked_at and ApiKey.authenticate(new) is None
    revoked_at = key.revoked_at
    apikey_revoke(by=None, key=key)
    key.refresh_from_db()
    assert key.revoked_at == revoked_at
    restored = apikey_rotate(by=None, key=key)  # rotating a revoked key restores the system with a new secret
    key.refresh_from_db()
    assert key.active and key.revoked_at is None and ApiKey.authenticate(restored) == key


def test_the_admin_shows_a_new_key_once_and_asks_only_name_and_region(client, sysadmin, regions):
    client.force_login(sysadmin)
    form = client.get(f"{ADMIN}add/").content.decode()
    assert 'name="name"' in form and 'name="region"' in form and 'name="active"' not in form
    response = client.post(
        f"{ADMIN}add/", {"name": "网上办事大厅", "region": regions["city"].pk}, follow=True
    )
    assert response.status_code == 200
    [full_key] = KEY.findall(response.content.decode())
    key = ApiKey.objects.get()
    assert ApiKey.authenticate(full_key) == key and key.region == regions["city"]
    assert not KEY.search(client.get(f"{ADMIN}{key.pk}/change/").content.decode())
    listing = client.get(ADMIN).content.decode()
    assert key.prefix in listing and full_key not in listing


def test_the_admin_refuses_a_name_taken_in_chinese(client, sysadmin):
    apikey_create(by=None, name="网上办事大厅")
    client.force_login(sysadmin)
    response = client.post(f"{ADMIN}add/", {"name": "网上办事大厅"})
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert ApiKey.objects.count() == 1


def test_the_admin_actions_rotate_and_revoke(client, sysadmin):
    key, old = apikey_create(by=None, name="网上办事大厅")
    client.force_login(sysadmin)
    response = client.post(ADMIN, {"action": "rotate", "_selected_action": [key.pk]}, follow=True)
    [new] = KEY.findall(response.content.decode())
    assert ApiKey.authenticate(old) is None and ApiKey.authenticate(new) == key
    response = client.post(ADMIN, {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert "已停用 1 个接口密钥" in response.content.decode()
    key.refresh_from_db()
    assert not key.active and ApiKey.authenticate(new) is None


def test_keys_are_revoked_never_deleted(client, sysadmin):
    key, _ = apikey_create(by=None, name="网上办事大厅")
    client.force_login(sysadmin)
    assert client.get(f"{ADMIN}{key.pk}/delete/").status_code == 403


def test_only_system_administrators_manage_keys(client, owner):
    client.force_login(owner)
    assert client.get(ADMIN).status_code == 403


def test_the_command_prints_a_working_key_on_its_last_line(client, org):
    out = StringIO()
    call_command(
        "apikey", "create", "网上办事大厅", "--region", org["zhanggong"]["department"].region.code, stdout=out
    )
    full_key = out.getvalue().strip().splitlines()[-1]
    assert KEY.fullmatch(full_key)
    assert push_case(client, full_key, org).status_code == 201
    assert ServiceRecord.objects.get().source.name == "网上办事大厅"


def test_the_command_rotates_revokes_and_lists(client, org):
    out = StringIO()
    call_command("apikey", "create", "网上办事大厅", stdout=out)
    old = out.getvalue().strip().splitlines()[-1]
    out = StringIO()
    call_command("apikey", "rotate", "网上办事大厅", stdout=out)
    new = out.getvalue().strip().splitlines()[-1]
    assert KEY.fullmatch(new) and new != old
    assert push_case(client, old, org).status_code == 401
    assert push_case(client, new, org).status_code == 201
    call_command("apikey", "revoke", "网上办事大厅", stdout=StringIO())
    assert push_case(client, new, org).status_code == 401
    out = StringIO()
    call_command("apikey", "list", stdout=out)
    listing = out.getvalue()
    assert "网上办事大厅" in listing and "已停用" in listing and new not in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rotate", "无此系统"), "没有名为"),
        (("revoke", "无此系统"), "没有名为"),
        (("create", "网上办事大厅", "--region", "999999999999"), "不存在"),
    ],
)
def test_the_command_explains_what_it_cannot_do(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(*("apikey", *args), stdout=StringIO())


def test_the_command_refuses_a_name_taken(db):
    call_command("apikey", "create", "网上办事大厅", stdout=StringIO())
    with pytest.raises(CommandError, match="已存在"):
        call_command("apikey", "create", "网上办事大厅", stdout=StringIO())


def test_the_admin_writes_each_key_change_to_the_history_once(client, sysadmin, regions):
    from django.contrib.admin.models import LogEntry

    client.force_login(sysadmin)
    client.post(f"{ADMIN}add/", {"name": "审计系统", "region": regions["city"].pk})
    key = ApiKey.objects.get(name="审计系统")
    client.post(ADMIN, {"action": "rotate", "_selected_action": [key.pk]})
    client.post(ADMIN, {"action": "revoke", "_selected_action": [key.pk]})
    history = LogEntry.objects.filter(object_id=str(key.pk), user=sysadmin).order_by("pk")
    assert [entry.get_change_message() for entry in history] == ["签发接口密钥", "更换密钥", "停用"]
