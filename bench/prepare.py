"""Run inside the benchmark database: N completed cases whose evaluation window is open, and a key."""

import json
from datetime import timedelta

from django.utils import timezone

from evaluations.models import ApiKey, ServiceMatter, ServiceRecord
from evaluations.services.records import rating_deadline


def prepare(cases: int) -> dict:
    matter = (
        ServiceMatter.objects.select_related("department__region").filter(consultation_only=False).first()
    )
    if matter is None:
        raise ValueError("no ratable service matter in the database (run seed_demo)")
    now = timezone.now()
    completed = now - timedelta(hours=1)
    deadline = rating_deadline(completed, 5)
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                serial_no=f"BENCH-{number:07d}", matter=matter, department=matter.department,
                region=matter.department.region, channel="online", status="completed",
                accepted_at=completed - timedelta(minutes=10), completed_at=completed,
                rating_deadline=deadline,
                applicant_type="person", applicant_name="测试", applicant_phone="13800000000",
            )
            for number in range(cases)
        ],
        batch_size=2000,
    )  # fmt: skip
    key = ApiKey(name="bench")
    full_key = key.set_new_key()
    key.save()
    return {
        "key": full_key,
        "serials": [f"BENCH-{number:07d}" for number in range(cases)],
        # The floor endpoint's rows (bench/floor_urls.py) are of the cases' department and region.
        "floor_row": {"department_id": matter.department_id, "region_id": matter.department.region_id},
    }


def main(cases: int) -> None:
    print(json.dumps(prepare(cases)))
