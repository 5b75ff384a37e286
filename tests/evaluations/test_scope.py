import pytest

from evaluations.models import Department, Hall, Region, Role, ServiceMatter, Staff, User, Window
from evaluations.scope import visible_to

pytestmark = pytest.mark.django_db

SCOPED_MODELS = (Region, Department, Hall, Window, Staff, ServiceMatter)


def codes(user, model) -> set[str]:
    field = "staff_no" if model is Staff else "code"
    return set(visible_to(user, model.objects.all()).values_list(field, flat=True))


def test_an_office_sees_its_region_subtree_only(owner, regions, org):
    assert codes(owner, Region) == {"360702000000", "360702001000", "360702001001"}
    assert codes(owner, Department) == {org["zhanggong"]["department"].code}
    assert codes(owner, Hall) == {"H-zhanggong"}
    assert codes(owner, Window) == {"W-zhanggong"}
    assert codes(owner, Staff) == {"S-zhanggong"}
    assert codes(owner, ServiceMatter) == {"M-zhanggong"}


def test_an_outsider_sees_nothing_of_another_region(outsider, org):
    for model in SCOPED_MODELS:
        visible = codes(outsider, model)
        assert all("zhanggong" not in code and not code.startswith("360702") for code in visible), model
        assert org["zhanggong"]["department"].code not in visible


def test_a_department_handler_sees_only_its_department(colleague, org):
    assert codes(colleague, Department) == {org["zhanggong"]["department"].code}
    assert codes(colleague, Staff) == {"S-zhanggong"}
    assert codes(colleague, ServiceMatter) == {"M-zhanggong"}
    assert codes(colleague, Window) == {"W-zhanggong"}


def test_a_window_shared_by_two_departments_is_listed_once(colleague, org):
    org["zhanggong"]["window"].departments.add(org["nankang"]["department"])
    assert visible_to(colleague, Window.objects.all()).count() == 1


def test_a_user_without_scope_sees_nothing(regions, org):
    user = User.objects.create_user(username="lost", password="x", role=Role.AUDITOR)
    for model in SCOPED_MODELS:
        assert not visible_to(user, model.objects.all()).exists()


def test_a_system_administrator_sees_everything(sysadmin, org):
    assert visible_to(sysadmin, Department.objects.all()).count() == 2


def test_an_inactive_or_anonymous_user_sees_nothing(owner):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_to(AnonymousUser(), Region.objects.all()).exists()
    owner.is_active = False
    assert not visible_to(owner, Region.objects.all()).exists()


def test_the_admin_list_shows_only_rows_in_scope(client, outsider, org):
    client.force_login(outsider)
    response = client.get("/admin/evaluations/department/")
    assert response.status_code == 200
    assert "南康区市场监督管理局" in response.text
    assert "章贡区市场监督管理局" not in response.text


def test_the_admin_will_not_open_a_row_outside_scope(client, outsider, org):
    client.force_login(outsider)
    other = org["zhanggong"]["department"]
    response = client.get(f"/admin/evaluations/department/{other.pk}/change/", follow=True)
    assert "章贡区市场监督管理局" not in response.text
    assert response.redirect_chain  # Django's admin sends an unknown id back to the list


def test_the_admin_offers_only_regions_in_scope_as_choices(client, outsider, regions):
    client.force_login(outsider)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "evaluations", "model_name": "department", "field_name": "region", "term": ""},
    )
    names = {row["text"] for row in response.json()["results"]}
    assert names == {"南康区"}


def test_an_auditor_can_read_but_not_change(client, regions, org):
    auditor = User.objects.create_user(
        username="aud", password="x", role=Role.AUDITOR, region=regions["city"]
    )
    client.force_login(auditor)
    department = org["zhanggong"]["department"]
    assert client.get("/admin/evaluations/department/").status_code == 200
    response = client.post(f"/admin/evaluations/department/{department.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.name == "章贡区市场监督管理局"
