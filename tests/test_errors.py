import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_cookie_gets_a_chinese_page(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/r/w/{org['zhanggong']['window'].qr_token}/", {"grade": "5"})
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.text


@pytest.mark.django_db
def test_the_admin_shows_cases_and_ratings_masked(client, sysadmin, make_record):
    record = make_record()
    client.force_login(sysadmin)
    page = client.get(f"/admin/evaluations/servicerecord/{record.pk}/change/").text
    assert "138****5678" in page and "13812345678" not in page
    assert "王*" in page and "王小明" not in page
    assert client.get("/admin/evaluations/evaluation/").status_code == 200
    assert client.get("/admin/evaluations/policy/add/").status_code == 200
