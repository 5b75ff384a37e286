import pytest
from django.test import Client
from django.views.defaults import server_error

from evaluations.models import Role


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


# --- issue 14, point 8: Chinese error pages with DEBUG off -------------------------------------


@pytest.mark.django_db
def test_issue14_p8_an_unknown_address_gets_the_chinese_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在（404）" in response.text and 'href="/"' in response.text
    assert "Not Found" not in response.text and "The requested resource" not in response.text


@pytest.mark.django_db
def test_issue14_p8_a_role_without_access_gets_the_chinese_403_page(client, settings, outsider):
    settings.DEBUG = False
    outsider.role = Role.AUDITOR  # reads reports, does not enter ratings at the desk
    outsider.save()
    client.force_login(outsider)
    response = client.get("/desk/entry/")
    assert response.status_code == 403
    assert "无权访问（403）" in response.text and "返回首页" in response.text


@pytest.mark.django_db
def test_issue14_p8_a_bad_host_gets_the_chinese_400_page(client, settings):
    settings.DEBUG = False
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "请求无效（400）" in response.text and "Bad Request" not in response.text


def test_issue14_p8_a_server_error_gets_the_chinese_500_page(settings, rf):
    settings.DEBUG = False
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统暂时出错（500）" in text and 'href="/"' in text and "Server Error" not in text
