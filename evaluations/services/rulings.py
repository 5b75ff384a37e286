"""Writing a ruling: the one way a rating's validity changes (evaluations/models/rulings.py).

The caller (an appeal's void, a flag review) runs it inside its own transaction and holds the rating's
row lock; the database copies the ruling onto the rating's cached outcome (trigger ruling_sets_outcome).
"""

from datetime import datetime

from django.utils import timezone

from ..models import Evaluation, Ruling, RulingSource, User, Validity

REASON_LIMIT = 200  # Ruling.reason


def ruling_record(
    *,
    evaluation: Evaluation,
    outcome: str,
    reason: str,
    source: RulingSource,
    by: User,
    at: datetime | None = None,
) -> Ruling:
    """Append a ruling; ``evaluation`` is refreshed with the outcome the database now holds."""
    if outcome not in Validity.values:
        raise ValueError(f"not a validity: {outcome!r}")
    ruling = Ruling.objects.create(
        evaluation=evaluation,
        outcome=outcome,
        reason=reason.strip()[:REASON_LIMIT],
        source=source,
        decided_by=by,
        decided_at=at or timezone.now(),
    )
    evaluation.refresh_from_db(fields=["validity", "validity_reason", "validity_changed_at"])
    return ruling
