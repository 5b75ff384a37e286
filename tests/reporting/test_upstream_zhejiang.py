"""The Zhejiang profile against its mock platform (PROVINCIAL_INTERFACES.md, Zhejiang connector
``offlinereport``): plain form fields, dataSource 133, service record before its ratings, the
duplicate answer taken as delivered, every message accepted exactly once, in order, through an outage."""

import urllib.parse

import pytest

from reporting.models import UpstreamMessage
from reporting.upstream.push import upstream_push

from ..workorders.workorder_fixtures import rate
from .provincial_platform import ProvincialPlatform
from .provincial_traffic import (
    HANDLE_ITEM,
    TASK_CODE,
    demo_traffic,
    indicator_codes,
    provincial_matter,
    push_all,
)

pytestmark = pytest.mark.django_db
Kind = UpstreamMessage.Kind


@pytest.fixture
def platform(settings):
    server = ProvincialPlatform("zhejiang")
    settings.UPSTREAM_PROFILE = "zhejiang"
    settings.UPSTREAM_URL = server.url
    settings.UPSTREAM_TIMEOUT = 2
    settings.UPSTREAM_BATCH = 3
    indicator_codes("zhejiang")
    yield server
    server.stop()


def test_provincial_interfaces_zhejiang_fields_and_codes_of_a_service_and_its_rating(
    platform, make_record, org
):
    matter = provincial_matter(org)
    record = make_record("ZJ-001", matter_code=matter.code, applicant_type="legal_person")
    rate(record, grade=5, tags=["M5-01"], channel="sms")
    service, rating = UpstreamMessage.objects.order_by("id")
    assert (service.kind, service.idempotency_key, service.case_key) == (
        Kind.SERVICE,
        "service:ZJ-001:2",
        rating.case_key,
    )
    assert service.payload["projectNo"] == "ZJ-001"  # no province prefix in Zhejiang
    assert (service.payload["taskCode"], "taskHandleItem" in service.payload) == (TASK_CODE, False)
    assert (service.payload["promiseTime"], service.payload["userProp"]) == ("2", "2")  # 2 即办件, 2 法人
    assert (service.payload["proStatus"], service.payload["dataSource"]) == ("3", "133")
    assert (rating.payload["pf"], rating.payload["evalDetail"], rating.payload["serviceNumber"]) == (
        "6",
        "B0101",
        "2",
    )
    assert len(HANDLE_ITEM) == 33 and rating.payload["areaCode"] == "360702000000"

    result = upstream_push()  # one message per case per batch: the service record, then its rating
    assert (result.sent, result.batches) == (2, 2)
    sent = urllib.parse.parse_qs(UpstreamMessage.objects.get(pk=rating.pk).sent_body)
    assert sent["pf"] == ["6"] and sent["projectNo"] == ["ZJ-001"]  # the exact form body is kept
    assert platform.accepted == [("service", "ZJ-001", "2"), ("rating", "ZJ-001", "1")]


def test_provincial_interfaces_zhejiang_demo_traffic_arrives_once_in_order_through_an_outage(
    platform, make_record, org, regions
):
    serials = demo_traffic(make_record, org, regions)
    rows = list(UpstreamMessage.objects.order_by("id"))
    # Staff ratings, the window rating without a case and work-order milestones stay local.
    assert {row.kind for row in rows} == {Kind.SERVICE, Kind.EVALUATION, Kind.TIMEOUT}
    default = next(row for row in rows if row.kind == Kind.TIMEOUT)
    assert (default.payload["pf"], default.payload["projectNo"]) == ("7", serials["default"])

    upstream_push(max_batches=1)
    platform.down = True
    result = upstream_push()
    assert (result.sent, result.failed) == (0, 1)  # the first request fails, the pass ends
    platform.down = False
    push_all()

    # A worker died after the POST: the row goes again and the platform's duplicate answer delivers it.
    resent = UpstreamMessage.objects.filter(kind=Kind.EVALUATION).first()
    UpstreamMessage.objects.filter(pk=resent.pk).update(status="pending", sent_at=None)
    assert upstream_push().sent == 1
    assert platform.answers[-1] == ("rating", "评价数据不可重复")

    assert set(UpstreamMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(platform.accepted) == len(rows) == len(set(platform.accepted))  # each exactly once
    expected = [
        ("service" if row.kind == Kind.SERVICE else "rating", row.payload["projectNo"],
         row.payload["serviceNumber"] if row.kind == Kind.SERVICE else row.payload["assessNumber"])
        for row in rows
    ]  # fmt: skip
    for serial in serials.values():  # in order per case: the service first, then its ratings
        assert [item for item in platform.accepted if item[1] == serial] == [
            e for e in expected if e[1] == serial
        ]
    assert platform.ratings[(serials["text"], "1")]["evalDetail"] == ""  # M2-01 has no national code
    assert platform.ratings[(serials["phone"], "1")]["pf"] == "5"


def test_provincial_interfaces_zhejiang_a_rating_before_its_service_is_refused_by_name(
    platform, make_record, org
):
    matter = provincial_matter(org)
    rate(make_record("ZJ-002", matter_code=matter.code), grade=4, tags=[], channel="pc")
    UpstreamMessage.objects.filter(kind=Kind.SERVICE).update(status="sent")  # as if lost on the way
    result = upstream_push()
    assert (result.sent, result.failed) == (0, 1)
    rating = UpstreamMessage.objects.get(kind=Kind.EVALUATION)
    assert (rating.status, rating.last_error) == ("failed", "办件服务信息不存在，请先推送办件")


def test_provincial_interfaces_zhejiang_a_bad_grade_without_an_indicator_or_text_is_refused(
    platform, make_record, org
):
    matter = provincial_matter(org)
    rate(make_record("ZJ-003", matter_code=matter.code), grade=2, tags=["M2-01"], channel="pc")  # no code
    upstream_push()
    upstream_push()
    rating = UpstreamMessage.objects.get(kind=Kind.EVALUATION)
    assert (rating.status, rating.last_error) == ("failed", "差评须选择评价指标或填写文字评价")
