"""综合点评: feedback to a department or hall outside any case (国办发〔2019〕51号: 综合点评 channel)."""

from django.db import transaction
from django.utils import timezone

from ..models import Department, Feedback, Hall, User


def feedback_submit(
    *,
    source: str,
    content: str,
    department: Department | None = None,
    hall: Hall | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    by: User | None = None,
) -> Feedback:
    if department is not None:
        region = department.region
    elif hall is not None:
        region = hall.region
    else:
        raise ValueError("feedback needs a department or a hall")
    with transaction.atomic():
        return Feedback.objects.create(
            source=source,
            content=content.strip(),
            department=department,
            hall=hall,
            region=region,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            entered_by=by,
        )


def feedback_answer(*, feedback: Feedback, answer: str, by: User) -> Feedback:
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        locked.answer = answer.strip()
        locked.answered_by = by
        locked.answered_at = timezone.now()
        locked.status = Feedback.Status.ANSWERED
        locked.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    return locked
