import pytest

from evaluations.models import Role, User

pytestmark = pytest.mark.django_db


def add_user(client, **fields):
    data = {
        "username": "new_handler",
        "password1": "Xk9-handler-pass",
        "password2": "Xk9-handler-pass",
        "usable_password": "true",
        "name": "李四",
        **fields,
    }
    return client.post("/admin/evaluations/user/add/", data)


def test_a_system_administrator_creates_a_scoped_handler(client, sysadmin, org):
    client.force_login(sysadmin)
    department = org["zhanggong"]["department"]
    response = add_user(client, role=Role.DEPARTMENT, department=department.pk)
    assert response.status_code == 302, response.text[:2000]
    user = User.objects.get(username="new_handler")
    assert (user.role, user.department, user.is_staff) == (Role.DEPARTMENT, department, True)


def test_a_handler_without_a_department_is_refused_with_a_chinese_message(client, sysadmin, regions):
    client.force_login(sysadmin)
    response = add_user(client, role=Role.DEPARTMENT, region=regions["city"].pk)
    assert response.status_code == 200
    assert "部门承办人须设置所属部门。" in response.text
    assert not User.objects.filter(username="new_handler").exists()


def test_an_office_cannot_create_users(client, owner):
    client.force_login(owner)
    response = add_user(client, role=Role.SYSADMIN)
    assert response.status_code == 403
    assert not User.objects.filter(username="new_handler").exists()
