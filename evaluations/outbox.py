"""What the two outboxes (SMS to citizens, messages to the provincial platform) share: when a failed row
is tried again."""

from datetime import timedelta

MAX_BACKOFF_MINUTES = 60


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failure, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))
