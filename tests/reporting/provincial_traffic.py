"""Demo-like traffic for the provincial profile tests: cases of a 33-character 业务办理项, ratings by
several channels, a bad one with a national indicator, a bad one with text only, a follow-up, a staff
rating and a window rating without a case (both stay local), and a default 满意 after the window."""

from datetime import timedelta

from django.utils import timezone

from evaluations.models import Policy, Preset, ServiceMatter, Tag
from evaluations.services.timeouts import timeouts_apply
from reporting.models import TagIndicator, UpstreamMessage
from reporting.upstream.push import due_messages, upstream_push

from ..helpers import working_days_ago
from ..workorders.workorder_fixtures import rate

# 31 characters of 实施编码 and 2 of 业务办理项: no run of eight zeros (Shandong skips self-built ones).
TASK_CODE = "11360702MB1934567X3200111A10022"
HANDLE_ITEM = TASK_CODE + "01"
INDICATORS = {"M1-01": "A0101", "M5-01": "B0101"}


def provincial_matter(org) -> ServiceMatter:
    assert len(TASK_CODE) == 31 and len(HANDLE_ITEM) == 33
    return ServiceMatter.objects.create(
        code=HANDLE_ITEM,
        name="食品经营许可",
        department=org["zhanggong"]["department"],
        kind=ServiceMatter.Kind.INSTANT,
    )


def indicator_codes(profile: str) -> None:
    for tag, code in INDICATORS.items():
        TagIndicator.objects.create(tag=Tag.objects.get(code=tag), profile=profile, code=code)


def demo_traffic(make_record, org, regions) -> dict[str, str]:
    """Rate a handful of cases; returns serial numbers by role."""
    matter = provincial_matter(org)
    side = org["zhanggong"]
    case = {
        role: make_record(f"ZJSD-{number:03d}", matter_code=matter.code)
        for number, role in enumerate(("good", "bad", "phone", "mixed", "text"), start=1)
    }
    rate(case["good"], grade=5, tags=["M5-01"], channel="device")
    rate(case["bad"], grade=1, tags=["M1-01"], channel="sms")  # opens a work order: stays local
    rate(case["phone"], grade=4, tags=[], channel="phone")
    rate(case["phone"], grade=5, tags=[], channel="qr", assess_number=2)  # 追评
    rate(case["mixed"], target="staff", grade=5, tags=[], channel="device", staff=side["staff"])
    rate(case["mixed"], grade=3, tags=[], channel="pc")
    rate(case["text"], grade=2, tags=["M2-01"], comment="窗口排队太久", channel="mobile")  # M2-01: no code
    rate(None, target="staff", grade=5, tags=[], channel="qr", window=side["window"], staff=side["staff"])
    long_ago = working_days_ago(10)
    closed = make_record("ZJSD-009", matter_code=matter.code, accepted_at=long_ago, completed_at=long_ago)
    Policy.from_preset(Preset.GANZHOU, region=regions["province"]).save()
    timeouts_apply()
    return {role: record.serial_no for role, record in {**case, "default": closed}.items()}


def push_all(rounds: int = 40) -> None:
    """Push as the beat would, letting time pass until every backed-off row is due and sent."""
    now = timezone.now()
    for _ in range(rounds):
        if not due_messages(now).exists() and not UpstreamMessage.objects.exclude(status="sent").exists():
            return
        upstream_push(now=now)
        now += timedelta(minutes=61)
    raise AssertionError("messages left unsent")
