"""Issue 15 point 3: national indicator codes per tag and profile (admin and import), sent in evalDetail;
the upstream page shows the profile in use, the tags without a code, and each message's exact body."""

import pytest
import tablib

from bench.upstream_platform import running_platform
from evaluations.models import Tag
from reporting.models import TagIndicator, UpstreamMessage
from reporting.upstream.indicators import TagIndicatorResource, tags_without_indicator
from reporting.upstream.push import upstream_push

from ..workorders.workorder_fixtures import rate

pytestmark = pytest.mark.django_db
URL = "/admin/reporting/upstreammessage/"
HEADERS = ["标签编码", "对接规范", "国家评价指标编码"]


@pytest.fixture
def platform(settings):
    yield from running_platform(settings)


def import_rows(*rows):
    return TagIndicatorResource().import_data(tablib.Dataset(*rows, headers=HEADERS), dry_run=False)


def test_provincial_interfaces_indicators_the_import_sets_codes_per_profile_and_again_updates():
    result = import_rows(("M1-01", "shandong", "A0101"), ("M1-01", "zhejiang", "Z-0101"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert dict(TagIndicator.objects.values_list("profile", "code")) == {
        "shandong": "A0101",
        "zhejiang": "Z-0101",
    }
    import_rows(("M1-01", "shandong", "A0109"))  # the same tag and profile: updated, not doubled
    assert TagIndicator.objects.get(profile="shandong").code == "A0109"


def test_provincial_interfaces_indicators_a_file_with_an_unknown_profile_imports_nothing():
    result = import_rows(("M1-01", "shandong", "A0101"), ("M1-02", "hubei", "A0102"))
    assert result.has_validation_errors()
    assert "profile" in result.invalid_rows[0].field_specific_errors
    assert not TagIndicator.objects.exists()


def test_provincial_interfaces_indicators_generic_sends_the_code_and_falls_back_to_ours(make_record):
    TagIndicator.objects.create(tag=Tag.objects.get(code="M5-01"), profile="generic", code="B0101")
    rate(make_record(), grade=5, tags=["M5-01", "M5-02"], channel="pc")
    assert UpstreamMessage.objects.get().payload["evalDetail"] == "B0101,M5-02"


def test_provincial_interfaces_indicators_the_page_names_the_profile_uncoded_tags_and_the_body_sent(
    client, sysadmin, make_record, platform
):
    TagIndicator.objects.create(tag=Tag.objects.get(code="M5-01"), profile="generic", code="B0101")
    rate(make_record("SN-BODY-1"), grade=5, tags=["M5-01"], channel="sms")
    assert upstream_push().sent == 1
    client.force_login(sysadmin)
    page = client.get(URL).content.decode()
    assert "通用（JSON + HMAC-SHA256）" in page and "UPSTREAM_PROFILE = generic" in page
    uncoded = list(tags_without_indicator("generic").values_list("code", flat=True))
    assert "M5-01" not in uncoded and "M1-01" in uncoded
    assert "<code>M1-01</code>" in page and "<code>M5-01</code>" not in page
    message = UpstreamMessage.objects.get()
    assert '"projectNo":"SN-BODY-1"' in message.sent_body and '"pf":"6"' in message.sent_body
    detail = client.get(f"{URL}{message.pk}/change/").content.decode()
    assert "最近发送的报文" in detail and "SN-BODY-1" in detail
    assert client.get("/admin/reporting/tagindicator/import/").status_code == 200


def test_provincial_interfaces_indicators_the_page_shows_a_provincial_profile(client, sysadmin, settings):
    settings.UPSTREAM_PROFILE = "shandong"
    client.force_login(sysadmin)
    page = client.get(URL).content.decode()
    assert "山东（SM2 加密与签名）" in page and "上报时 evalDetail 中不含这些标签" in page
