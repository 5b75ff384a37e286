"""Months of demo activity: cases from every channel and their ratings, replayed through the real
services (record upsert, intake rules, timeouts) so the demo obeys the same rules as production.

Deterministic (a fixed random seed and serial numbers) and safe to run twice: cases are upserted by
serial number and ratings carry a client id, so a second run writes nothing new.
"""

import calendar
import random
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from . import demo_data as data
from .models import (
    PRESETS,
    Department,
    Feedback,
    Hall,
    Policy,
    Preset,
    Region,
    ServiceMatter,
    ServiceRecord,
    Staff,
    Tag,
)
from .refusals import Refusal
from .services.feedback import feedback_submit
from .services.intake import Rating, evaluation_record
from .services.records import RecordData, record_upsert
from .services.timeouts import timeouts_apply

GRADES = [5] * 70 + [4] * 19 + [3] * 5 + [2] * 4 + [1] * 2
CASE_CHANNELS = ["window"] * 55 + ["online"] * 25 + ["mobile"] * 12 + ["kiosk"] * 8
WINDOW_RATING_CHANNELS = ["device"] * 60 + ["qr"] * 25 + ["paper"] * 10 + ["phone"] * 5
REMOTE_RATING_CHANNELS = {"online": ["pc"] * 8 + ["sms"] * 2, "mobile": ["mobile"], "kiosk": ["kiosk"]}
BAD_COMMENTS = [
    "窗口说还要补一份证明，办事指南上没有写",
    "排队一个多小时，只开了两个窗口",
    "网上申报后还要到大厅再交一遍材料",
    "工作人员态度生硬，问了两遍才回答",
    "承诺五个工作日办结，实际拖了两周",
]
FEEDBACK = [
    ("box", "hall", "大厅自助机经常死机，希望尽快维修。"),
    ("hotline", "department", "建议增加周六上午的不动产登记服务。"),
    ("email", "department", "社保卡补办进度查询不方便，希望短信通知。"),
    ("web", "hall", "停车位太少，办事群众停车困难。"),
    ("box", "department", "窗口工作人员耐心细致，点赞！"),
]


def seed_activity(*, months: int = 6, per_month: int = 400, seed: int = 2026) -> dict[str, int]:
    if months <= 0:
        return {"cases": 0, "ratings": 0, "refused": 0, "default": 0, "unevaluated": 0}
    province = Region.objects.get(code=data.PROVINCE[0])
    Policy.objects.get_or_create(region=province, defaults=_ganzhou_policy())
    matters = list(ServiceMatter.objects.filter(active=True).select_related("department__region"))
    staff_by_department = _staff_by_department()
    tags = _tags_by_grade_and_target()
    now = timezone.now()
    counts = {"cases": 0, "ratings": 0, "refused": 0}
    for first_day in demo_months(timezone.localdate(now), months):
        days = calendar.monthrange(first_day.year, first_day.month)[1]
        opening = timezone.make_aware(datetime.combine(first_day, time(9)))
        for number in range(per_month):
            serial_no = f"DEMO-{first_day:%Y%m}-{number:04d}"
            case_rng = random.Random(f"{seed}-{serial_no}")  # the same case whatever day the seed runs
            accepted_at = opening + timedelta(days=case_rng.randrange(days), minutes=case_rng.randrange(480))
            if accepted_at > now - timedelta(hours=2):
                continue  # later this month
            if ServiceRecord.objects.filter(serial_no=serial_no).exists():
                continue  # seeded by an earlier run
            record = _case(case_rng, serial_no, accepted_at, matters, staff_by_department, now)
            counts["cases"] += 1
            if record.status != ServiceRecord.Status.COMPLETED or case_rng.random() > 0.85:
                continue  # left unrated: a reminder, then the timeout rule, will see to it
            rated, refused = _ratings(case_rng, record, tags, now)
            counts["ratings"] += rated
            counts["refused"] += refused
    counts.update(timeouts_apply(now=now, limit=100_000))
    _feedback()
    return counts


def demo_months(today: date, months: int) -> list[date]:
    """The first days of the ``months`` complete months before today's, oldest first, then today's."""
    firsts = [today.replace(day=1)]
    for _ in range(months):
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _ganzhou_policy() -> dict:
    # A demo centre is small: rank units from 5 ratings a period so the demo tables are not empty.
    return {"preset": Preset.GANZHOU, **PRESETS[Preset.GANZHOU], "min_sample": 5}


def _staff_by_department() -> dict[int, list[Staff]]:
    grouped: dict[int, list[Staff]] = {}
    for person in Staff.objects.filter(active=True, window__isnull=False).select_related("window"):
        grouped.setdefault(person.department_id, []).append(person)
    return grouped


def _tags_by_grade_and_target() -> dict[tuple[int, str], list[str]]:
    grouped: dict[tuple[int, str], list[str]] = {}
    for tag in Tag.objects.filter(active=True):
        grouped.setdefault((tag.grade, tag.target), []).append(tag.code)
    return grouped


def _case(rng, serial_no, accepted_at, matters, staff_by_department, now) -> ServiceRecord:
    matter = rng.choice(matters)
    channel = rng.choice(CASE_CHANNELS)
    at_window = staff_by_department.get(matter.department_id) if channel == "window" else None
    if channel == "window" and not at_window:
        channel = "online"
    person = rng.choice(at_window) if at_window else None
    duration = (
        timedelta(minutes=rng.randrange(5, 40))
        if matter.kind == "instant"
        else timedelta(days=rng.randrange(1, 6), hours=rng.randrange(6))
    )
    completed_at = accepted_at + duration
    completed = completed_at < now and rng.random() > 0.03
    is_company = rng.random() < 0.2
    fields = RecordData(
        matter_code=matter.code,
        department_code=matter.department.code,
        region_code=matter.department.region.code,
        channel=channel,
        status="completed" if completed else "accepted",
        accepted_at=accepted_at,
        completed_at=completed_at if completed else None,
        window_code=person.window.code if person else None,
        staff_no=person.staff_no if person else None,
        applicant_type="legal_person" if is_company else "person",
        applicant_name=rng.choice(data.COMPANIES if is_company else data.APPLICANTS),
        applicant_phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
    )
    record, _created = record_upsert(serial_no=serial_no, data=fields)
    return record


def _ratings(rng, record: ServiceRecord, tags, now: datetime) -> tuple[int, int]:
    completed_at = record.completed_at
    assert completed_at is not None  # only completed cases are rated here
    rated_at = min(completed_at + timedelta(minutes=rng.randrange(2, 48 * 60)), now)
    if record.rating_deadline and rated_at > record.rating_deadline:
        rated_at = completed_at + timedelta(minutes=3)
    window_case = record.channel == "window"
    if record.matter.consultation_only and not window_case:
        return 0, 0  # a consultation finished online is not rated (Tianjin art. 15), nor defaulted
    channel = rng.choice(
        WINDOW_RATING_CHANNELS if window_case else REMOTE_RATING_CHANNELS.get(record.channel, ["pc"])
    )
    if record.matter.consultation_only:
        targets = ["staff"]  # in the hall only the clerk is rated (Tianjin art. 15)
    else:
        targets = ["matter"] + (["staff"] if window_case and rng.random() < 0.5 else [])
    done = refused = 0
    for target in targets:
        grade = rng.choice(GRADES)
        rating = Rating(
            target=target,
            stage="completion",
            grade=grade,
            channel=channel,
            tags=rng.sample(tags[(grade, target)], k=1) if grade <= 2 or rng.random() < 0.4 else [],
            comment=rng.choice(BAD_COMMENTS) if grade <= 2 and rng.random() < 0.7 else "",
            rated_at=rated_at,
            client_id=f"demo-{record.serial_no}-{target}",
            device_serial="DEMO-EVALUATOR" if channel == "device" else "",
        )
        try:
            # At the moment it was rated, so the work order a bad rating opens is dated then too.
            with time_machine.travel(rated_at, tick=False):
                evaluation_record(rating=rating, record=record, now=rated_at)
            done += 1
        except Refusal:
            refused += 1  # e.g. a batch already rated through another of its cases
    return done, refused


def _feedback() -> None:
    department = Department.objects.order_by("pk").first()
    hall = Hall.objects.order_by("pk").first()
    for source, subject, content in FEEDBACK:
        if not Feedback.objects.filter(content=content).exists():
            target = {"department": department} if subject == "department" else {"hall": hall}
            feedback_submit(source=source, content=content, contact_phone="13512340000", **target)
