"""Cases (办件) pushed by business systems: an idempotent upsert by serial number."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiKey, Department, Region, ServiceMatter, ServiceRecord, Staff, Window
from ..policies import policy_for_region
from ..refusals import InputErrors, input_error
from ..signals import record_completed
from ..workdays import add_working_days


@dataclass
class RecordData:
    matter_code: str
    department_code: str
    region_code: str
    channel: str
    status: str
    accepted_at: datetime
    applicant_type: str
    applicant_name: str
    completed_at: datetime | None = None
    window_code: str | None = None
    staff_no: str | None = None
    applicant_id_number: str = ""
    applicant_phone: str = ""
    batch_no: str = ""
    theme_no: str = ""
    joint_department_codes: list[str] = field(default_factory=list)
    consultation: bool = False  # a 查询咨询 case (Tianjin art. 15)


def rating_deadline(completed_at: datetime, window_days: int) -> datetime:
    """The end of the N-th working day after the day of completion (local time)."""
    last_day = add_working_days(timezone.localtime(completed_at).date(), window_days)
    return timezone.make_aware(datetime.combine(last_day, time.max))


def remind_after(completed_at: datetime, reminder_hours: int | None) -> datetime | None:
    """When an unrated case is reminded: the policy's delay after completion; never without one."""
    return None if reminder_hours is None else completed_at + timedelta(hours=reminder_hours)


def remind_after_sql(reminder_hours: int | None) -> CombinedExpression | Value:
    """``remind_after`` as an SQL expression over the row's ``completed_at``, for bulk updates."""
    if reminder_hours is None:
        return Value(None, output_field=DateTimeField())
    return F("completed_at") + timedelta(hours=reminder_hours)


def record_upsert(
    *, serial_no: str, data: RecordData, source: ApiKey | None = None
) -> tuple[ServiceRecord, bool]:
    """Create or update the case ``serial_no``; returns (record, created). Raises InputErrors."""
    resolved = _resolve(data)
    with transaction.atomic():
        found = ServiceRecord.objects.select_for_update().filter(serial_no=serial_no).first()
        created = found is None
        record = ServiceRecord(serial_no=serial_no) if found is None else found
        _check_transition(record, data, created)
        fields = {
            "matter": resolved["matter"],
            "department": resolved["department"],
            "region": resolved["region"],
            "window": resolved["window"],
            "hall": resolved["window"].hall if resolved["window"] else None,
            "staff": resolved["staff"],
            "channel": data.channel,
            "status": data.status,
            "accepted_at": data.accepted_at,
            "completed_at": data.completed_at,
            "applicant_type": data.applicant_type,
            "applicant_name": data.applicant_name,
            "applicant_id_number": data.applicant_id_number,
            "applicant_phone": data.applicant_phone,
            "batch_no": data.batch_no,
            "theme_no": data.theme_no,
            "consultation": data.consultation,
        }
        for name, value in fields.items():
            setattr(record, name, value)
        if data.status == ServiceRecord.Status.COMPLETED and data.completed_at is not None:
            policy = policy_for_region(record.region)
            record.rating_deadline = rating_deadline(data.completed_at, policy.window_days)
            # Nobody is chased to rate a consultation (Tianjin art. 15; reminders_send checks again).
            consulted = data.consultation or resolved["matter"].consultation_only
            record.remind_after = (
                None if consulted else remind_after(data.completed_at, policy.reminder_hours)
            )
        else:
            record.remind_after = None
        if source is not None:
            record.source = source
        just_completed = data.status == ServiceRecord.Status.COMPLETED and (
            created or ServiceRecord.objects.filter(pk=record.pk).exclude(status=data.status).exists()
        )
        record.save()
        record.joint_departments.set(resolved["joint"])
        if just_completed:
            record_completed.send(sender=ServiceRecord, record=record)
    return record, created


def _resolve(data: RecordData) -> dict:
    errors: list[dict] = []

    def lookup(model, field_name: str, value: str | None, label: str, **filters):
        if not value:
            return None
        found = model.objects.filter(**{field_name: value}, **filters).first()
        if found is None:
            errors.append(
                input_error(
                    label,
                    f"unknown_{label.removesuffix('_code').removesuffix('_no')}",
                    _("编码“%(code)s”不存在。") % {"code": value},
                )
            )
        return found

    matter = lookup(ServiceMatter, "code", data.matter_code, "matter_code", active=True)
    department = lookup(Department, "code", data.department_code, "department_code")
    region = lookup(Region, "code", data.region_code, "region_code")
    window = lookup(Window, "code", data.window_code, "window_code")
    staff = lookup(Staff, "staff_no", data.staff_no, "staff_no")
    joint = list(Department.objects.filter(code__in=data.joint_department_codes))
    missing = sorted(set(data.joint_department_codes) - {d.code for d in joint})
    if missing:
        errors.append(
            input_error(
                "joint_department_codes",
                "unknown_department",
                _("编码“%(code)s”不存在。") % {"code": "、".join(missing)},
            )
        )
    if matter and department and matter.department_id != department.pk:
        errors.append(
            input_error("matter_code", "matter_department_mismatch", _("该事项不属于所填的办理部门。"))
        )
    if data.status == ServiceRecord.Status.COMPLETED and data.completed_at is None:
        errors.append(input_error("completed_at", "required", _("已办结的办件须填写办结时间。")))
    if data.completed_at and data.completed_at < data.accepted_at - timedelta(minutes=1):
        errors.append(input_error("completed_at", "before_accepted", _("办结时间不能早于受理时间。")))
    if errors:
        raise InputErrors(errors)
    return {
        "matter": matter,
        "department": department,
        "region": region,
        "window": window,
        "staff": staff,
        "joint": joint,
    }


def _check_transition(record: ServiceRecord, data: RecordData, created: bool) -> None:
    if not created and record.status == ServiceRecord.Status.COMPLETED and data.status != record.status:
        raise InputErrors([input_error("status", "already_completed", _("办件已办结，不能改回受理状态。"))])
