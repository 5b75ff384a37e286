"""The Shandong profile against its mock platform (PROVINCIAL_INTERFACES.md, Epoint connector
``HcpController``): the SM2 envelope (parameters encrypted for the platform's key, signature over
time + appMark + appWord verified with the test's key pair), projectNo with the province prefix 37,
taskCode / taskHandleItem split, self-built matters not pushed, every message accepted exactly once,
in order, through an outage."""

import json

import pytest

from evaluations.models import ServiceMatter
from reporting.models import UpstreamMessage
from reporting.upstream.profiles import sm2
from reporting.upstream.push import upstream_push

from ..workorders.workorder_fixtures import rate
from .provincial_platform import APP_MARK, APP_WORD, ProvincialPlatform
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
def keys() -> dict[str, str]:
    """Generated for this test: ours (the platform checks our signature) and the platform's."""
    return {"ours": sm2.new_private_key(), "platform": sm2.new_private_key()}


@pytest.fixture
def platform(settings, keys):
    server = ProvincialPlatform(
        "shandong", our_public_key=sm2.public_key_of(keys["ours"]), private_key=keys["platform"]
    )
    settings.UPSTREAM_PROFILE = "shandong"
    settings.UPSTREAM_URL = server.url
    settings.UPSTREAM_TIMEOUT = 5
    settings.UPSTREAM_BATCH = 4
    settings.UPSTREAM_SM2_PRIVATE_KEY = keys["ours"]
    settings.UPSTREAM_SM2_PLATFORM_KEY = sm2.public_key_of(keys["platform"])
    settings.UPSTREAM_APP_MARK, settings.UPSTREAM_APP_WORD = APP_MARK, APP_WORD
    indicator_codes("shandong")
    yield server
    server.stop()


def test_provincial_interfaces_shandong_sm2_envelope_round_trip(platform, keys, make_record, org):
    matter = provincial_matter(org)
    rate(make_record("SD-001", matter_code=matter.code), grade=1, tags=["M1-01"], channel="sms")
    result = upstream_push()
    assert (result.sent, result.failed) == (2, 0)
    service, rating = UpstreamMessage.objects.order_by("id")
    body = json.loads(rating.sent_body)  # the exact body sent, kept on the row
    envelope = body["txnBodyCom"]
    assert (set(body), envelope["appMark"], len(envelope["time"])) == (
        {"txnBodyCom", "txnCommCom"},
        APP_MARK,
        14,
    )
    assert "SD-001" not in rating.sent_body  # the record travels encrypted
    assert json.loads(sm2.decrypt(keys["platform"], envelope["params"]["evaluate"])) == [rating.payload]
    signed = f"{envelope['time']}{APP_MARK}{APP_WORD}".encode()
    assert sm2.verify(sm2.public_key_of(keys["ours"]), envelope["sign"], signed)
    assert (service.payload["projectNo"], service.payload["projectType"]) == ("37SD-001", "1")  # 1 即办件
    assert (service.payload["taskCode"], service.payload["taskHandleItem"]) == (TASK_CODE, HANDLE_ITEM)
    assert (rating.payload["pf"], rating.payload["evalDetail"], rating.payload["dataSource"]) == (
        "6",
        "A0101",
        "165",
    )
    assert platform.accepted == [("service", "37SD-001", "2"), ("rating", "37SD-001", "1")]


def test_provincial_interfaces_shandong_a_signature_by_another_key_is_refused(
    platform, settings, make_record, org
):
    settings.UPSTREAM_SM2_PRIVATE_KEY = sm2.new_private_key()  # not the key the platform knows
    matter = provincial_matter(org)
    rate(make_record("SD-002", matter_code=matter.code), grade=5, tags=[], channel="pc")
    assert upstream_push().failed == 1
    service = UpstreamMessage.objects.get(kind=Kind.SERVICE)
    assert (service.status, service.last_error, platform.accepted) == ("failed", "签名验证失败", [])


def test_provincial_interfaces_shandong_self_built_matters_are_not_pushed(platform, make_record, org):
    matter = ServiceMatter.objects.create(
        code="113607020000000000000000000000001", name="自建事项", department=org["zhanggong"]["department"]
    )
    rate(make_record("SD-003", matter_code=matter.code), grade=5, tags=[], channel="pc")
    assert not UpstreamMessage.objects.exists()


def test_provincial_interfaces_shandong_demo_traffic_arrives_once_in_order_through_an_outage(
    platform, make_record, org, regions
):
    serials = demo_traffic(make_record, org, regions)
    rows = list(UpstreamMessage.objects.order_by("id"))
    assert {row.kind for row in rows} == {Kind.SERVICE, Kind.EVALUATION, Kind.TIMEOUT}

    upstream_push(max_batches=1)
    platform.down = True
    assert upstream_push().failed == 1
    platform.down = False
    push_all()

    assert set(UpstreamMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(platform.accepted) == len(rows) == len(set(platform.accepted))  # each exactly once
    for serial in serials.values():
        arrived = [kind for kind, project, _ in platform.accepted if project == "37" + serial]
        assert arrived[0] == "service" and arrived.count("service") == 1  # the service record first
    default = platform.ratings[("37" + serials["default"], "1")]
    assert (default["pf"], default["satisfaction"]) == ("7", "4")  # 系统默认评价, flagged as such
