"""Demo rows of 监督查评, added when seed_demo has loaded its data (evaluations.signals.demo_seeded):
a 社会监督员 ``monitor`` in 赣州市 and an inspection planned by the city office that assigns them."""

from datetime import timedelta

from django.utils import timezone

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Hall, Role, User

from .models import Inspection

SUBJECT = "政务服务大厅窗口服务专项督查（明查暗访）"


def seed_supervision(sender=None, **kwargs) -> Inspection | None:
    office = User.objects.filter(username="office_city").select_related("region").first()
    if office is None or office.region is None:
        return None
    monitor, created = User.objects.update_or_create(
        username="monitor",
        defaults={
            "name": "社会监督员刘明",
            "role": Role.MONITOR,
            "region": office.region,
            "department": None,
        },
    )
    if created:
        monitor.set_password(DEMO_PASSWORD)
        monitor.save(update_fields=["password"])
    plan = Inspection.objects.filter(subject=SUBJECT, region=office.region).first()
    if plan is None:
        today = timezone.localdate()
        plan = Inspection.objects.create(
            subject=SUBJECT,
            kind=Inspection.Kind.MYSTERY,
            region=office.region,
            starts_on=today - timedelta(days=3),
            ends_on=today + timedelta(days=27),
            created_by=office,
            note="重点检查窗口工作人员在岗、一次性告知、首问负责落实情况，发现问题拍照留证。",
        )
        plan.halls.set(Hall.objects.filter(region=office.region)[:1])
    plan.inspectors.add(monitor, office)
    return plan
