"""Every benchmark checks its own result (issue 19): exact counts stored, none doubled, every answer
as expected. A benchmark prints its checks after its figures and fails (exit status 1) on any miss."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.management.base import CommandError


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str


def exactly(what: str, found: int, expected: int) -> Check:
    return Check(what, found == expected, f"{found} (expected exactly {expected})")


def between(what: str, found: int, low: int, high: int) -> Check:
    return Check(what, low <= found <= high, f"{found} (expected {low} … {high})")


def none_other(what: str, statuses: dict[int, int], allowed: Iterable[int]) -> Check:
    other = {status: count for status, count in statuses.items() if status not in set(allowed)}
    return Check(what, not other, f"{sum(other.values())} other answers {other}" if other else "none")


def fail_unless(checks: list[Check], write: Callable[[str], None]) -> None:
    """Print every check; raise CommandError naming the failed ones."""
    for check in checks:
        write(f"check {'PASS' if check.ok else 'FAIL'}  {check.what}: {check.detail}")
    failed = [check.what for check in checks if not check.ok]
    if failed:
        raise CommandError(f"the benchmark's own checks failed: {'; '.join(failed)}")
