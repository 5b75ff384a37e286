"""The 数据校验码 of a circular: the hash chain's head at the end of the period's last day.

The daily digests (evaluations/models/chain.py) are append-only; printing the closing one on the
published circular makes a later rewrite of the whole chain visible (README 评价数据校验链).
"""

from evaluations.models import DailyDigest

from ..periods import Period


def closing_digest(period: Period) -> dict | None:
    """``{"day", "head", "total"}`` of the period's last day, or None while it is not written yet."""
    digest = DailyDigest.objects.filter(day=period.last).first()
    if digest is None:
        return None
    return {"day": digest.day.isoformat(), "head": digest.head, "total": digest.total}
