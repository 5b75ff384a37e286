"""When a rating was made, and whether a device's late upload is still accepted (issue 12, point 7).

A signed device keeps ratings in an offline buffer while its network is down, so its ratings are
judged by ``rated_at`` and accepted up to ``Policy.late_upload_days`` working days later, marked 补传;
every other channel is judged when it arrives. Used by the intake service and by the timeouts, which
wait the same grace before writing a case's 未评 / 默认满意 marker.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ..models import Policy
from ..refusals import Refusal
from ..workdays import add_working_days

if TYPE_CHECKING:
    from .intake import Rating

# How far a rater's clock may run ahead of ours; and how long before arrival a rating counts as 补传.
CLOCK_SKEW = timedelta(minutes=5)

# No rating is older than this (the reports' own lower bound): an earlier time is a broken clock, and
# year 0001 would not even convert to UTC.
EARLIEST_RATING = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(8 * 60))


def rated_time(rating: Rating, now: datetime) -> datetime:
    """When the rating was made: the rater's time, else now. A time that cannot be, later than now
    (beyond CLOCK_SKEW) or before EARLIEST_RATING (year 0001 included), is refused with a code."""
    rated_at = rating.rated_at or now
    if rated_at > now + CLOCK_SKEW:
        raise Refusal("rated_at_invalid", field="rated_at")
    if rated_at < EARLIEST_RATING:
        raise Refusal("rated_at_out_of_range", field="rated_at", earliest=EARLIEST_RATING.year)
    return rated_at


def judged_at(rating: Rating, now: datetime, rated_at: datetime) -> datetime:
    """The moment a rating's window is judged at: when it was made for a signed device's upload (its
    offline buffer keeps rated_at), else when it arrives (51号 一(一): 在一定期限内补充评价; Tianjin
    art. 16 and Ganzhou art. 11: within 5 working days of completion)."""
    return rated_at if rating.buffered else now


def late_upload_deadline(rated_at: datetime, days: int) -> datetime:
    """Until when a device may upload a rating made at ``rated_at``: the end of the ``days``-th working
    day after that day (Policy.late_upload_days), counted like the rating window itself."""
    last_day = add_working_days(timezone.localtime(rated_at).date(), days)
    return timezone.make_aware(datetime.combine(last_day, time.max))


def judge_upload(rating: Rating, policy: Policy, now: datetime, rated_at: datetime) -> bool:
    """Whether a signed device's upload is 补传 (made more than CLOCK_SKEW before it arrived); one
    arriving later than policy.late_upload_days working days after rated_at is refused. Other
    channels are judged when they arrive and are never 补传."""
    if not rating.buffered:
        return False
    if now > late_upload_deadline(rated_at, policy.late_upload_days):
        raise Refusal(
            "upload_too_late",
            field="rated_at",
            rated=timezone.localtime(rated_at).strftime("%Y-%m-%d %H:%M"),
            days=policy.late_upload_days,
        )
    return now - rated_at > CLOCK_SKEW
