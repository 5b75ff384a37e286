"""The admin's own login page opens for a visitor who is not signed in (it was a 500: the device admin
asked an anonymous user for its role while listing the apps)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_login_page_opens_for_an_anonymous_visitor(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "好差评管理后台" in response.content.decode()
    index = client.get("/admin/")
    assert index.status_code == 302 and index["Location"].startswith("/admin/login/")
