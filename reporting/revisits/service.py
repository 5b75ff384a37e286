"""Quarterly random revisits (Qingdao art. 17): draw a reproducible sample, call, record, report.

The draw is ``ORDER BY md5(seed || case id) LIMIT n`` over the quarter's completed cases that left a
phone number. The seed is random (``secrets``) unless given, so nobody can know the list before the
draw, and it is stored on the sample: the same seed over the same cases always gives the same list,
so anyone can re-run the query (``revisit_redraw_ids``) to check that nobody picked the cases by hand.
Only a quarter that has ended may be drawn, and only once per region.
"""

import math
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import MD5, Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Region, ServiceRecord, User
from evaluations.policies import policy_for_region
from evaluations.scope import visible_to
from reporting.access import REVISIT_CALLERS, has_role
from reporting.models import RevisitCall, RevisitReveal, RevisitSample
from reporting.periods import Period

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations

Result = RevisitCall.Result
_seed_length = RevisitSample._meta.get_field("seed").max_length
assert _seed_length is not None  # the model gives the seed a max_length
SEED_MAX_LENGTH: int = _seed_length


class RevisitError(ValueError):
    """A revisit step refused, with a message for the user."""


class RevisitAlreadyDrawn(RevisitError):
    def __init__(self, sample: RevisitSample) -> None:
        self.sample = sample
        super().__init__(
            _("%(region)s %(quarter)s 已于 %(at)s 抽样，每个季度只抽样一次。")
            % {
                "region": sample.region.name,
                "quarter": sample.quarter,
                "at": timezone.localtime(sample.drawn_at).strftime("%Y-%m-%d %H:%M"),
            }
        )


def revisit_population(region: Region, quarter: Period) -> QuerySet[ServiceRecord]:
    """The quarter's completed cases of the region subtree that left a phone number."""
    start, end = quarter.bounds
    return (
        ServiceRecord.objects.filter(
            region__path__startswith=region.path,
            status=ServiceRecord.Status.COMPLETED,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .exclude(applicant_phone="")
        .exclude(applicant_phone__isnull=True)
    )


def new_seed() -> str:
    """A seed nobody can guess before the draw (16 hex characters)."""
    return secrets.token_hex(8)


def _sample_size(population: int, share: Decimal) -> int:
    return math.ceil(population * share / 100)


def _drawn_ids(population: QuerySet[ServiceRecord], seed: str, size: int) -> list[int]:
    order_key = MD5(Concat(Value(seed), Cast("pk", CharField())))
    picked = population.annotate(draw_key=order_key).order_by("draw_key", "pk")
    return list(picked.values_list("pk", flat=True)[:size])


def revisit_redraw_ids(sample: RevisitSample) -> list[int]:
    """The case ids the stored seed and share give over the quarter's cases as they are now; equal to
    the sample's list (in order) as long as the population has not changed since the draw."""
    population = revisit_population(sample.region, Period.parse(sample.quarter))
    return _drawn_ids(population, sample.seed, _sample_size(population.count(), sample.percent))


def revisit_draw(
    *,
    region: Region,
    quarter: Period,
    by: User | None,
    percent: Decimal | int | float | None = None,
    seed: str | None = None,
) -> RevisitSample:
    """Draw the quarter's sample of ``region``; refuses (RevisitAlreadyDrawn) when it exists."""
    if quarter.kind != "quarter":
        raise RevisitError(_("请按季度抽样，格式为 YYYY-Qn，例如 2026-Q3。"))
    if quarter.last >= timezone.localdate():
        raise RevisitError(_("只能对已经结束的季度抽样。"))
    share = Decimal(str(percent)) if percent is not None else policy_for_region(region).revisit_sample_percent
    if not Decimal("0.01") <= share <= Decimal("100"):
        raise RevisitError(_("抽样比例应在 0.01% 到 100% 之间。"))
    seed = seed or new_seed()
    if len(seed) > SEED_MAX_LENGTH:
        raise RevisitError(_("随机种子最多 %(n)d 个字符。") % {"n": SEED_MAX_LENGTH})
    existing = RevisitSample.objects.filter(region=region, quarter=str(quarter)).first()
    if existing is not None:
        raise RevisitAlreadyDrawn(existing)
    population = revisit_population(region, quarter)
    try:
        with transaction.atomic():
            total = population.count()
            sample = RevisitSample.objects.create(
                region=region, quarter=str(quarter), percent=share, seed=seed, population=total, drawn_by=by
            )
            picked = _drawn_ids(population, seed, _sample_size(total, share))
            RevisitCall.objects.bulk_create(
                RevisitCall(sample=sample, record_id=record_id, position=position)
                for position, record_id in enumerate(picked, start=1)
            )
    except IntegrityError:
        # Someone else drew the same quarter a moment ago.
        raise RevisitAlreadyDrawn(RevisitSample.objects.get(region=region, quarter=str(quarter))) from None
    return sample


def _check_caller(call: RevisitCall, by: User) -> None:
    if not has_role(by, REVISIT_CALLERS):
        raise RevisitError(_("只有管理部门和 12345 热线可以开展随机回访。"))
    if not visible_to(by, ServiceRecord.objects.filter(pk=call.record_id)).exists():
        raise RevisitError(_("该办件不在您的管辖范围内。"))


def revisit_record(*, call: RevisitCall, result: str, note: str, by: User) -> RevisitCall:
    """Write down how the call went; calling again (e.g. after 未接通) replaces the earlier result."""
    _check_caller(call, by)
    if result not in Result.values:
        raise RevisitError(_("请选择回访结果：满意、不满意或未接通。"))
    with transaction.atomic():
        call = RevisitCall.objects.select_for_update().get(pk=call.pk)
        call.result = result
        call.note = (note or "").strip()
        call.called_at = timezone.now()
        call.caller = by
        call.save(update_fields=["result", "note", "called_at", "caller"])
    return call


def revisit_reveal_phone(*, call: RevisitCall, by: User) -> str:
    """The citizen's full number for the call; every look is written down (DESIGN §9)."""
    _check_caller(call, by)
    with transaction.atomic():
        RevisitReveal.objects.create(call=call, by=by)
        return ServiceRecord.objects.only("applicant_phone").get(pk=call.record_id).applicant_phone


@dataclass(frozen=True)
class RevisitReport:
    total: int
    satisfied: int
    dissatisfied: int
    unreachable: int
    pending: int

    @property
    def called(self) -> int:
        return self.total - self.pending

    @property
    def numerator(self) -> int:
        return self.satisfied

    @property
    def denominator(self) -> int:
        return self.satisfied + self.dissatisfied

    @property
    def satisfaction(self) -> float | None:
        """满意 / (满意 + 不满意); 未接通 and not yet called are left out. None when nobody answered."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def satisfaction_percent(self) -> float | None:
        return 100 * self.numerator / self.denominator if self.denominator else None


def revisit_report(sample: RevisitSample) -> RevisitReport:
    counts = dict(sample.calls.values_list("result").annotate(n=Count("pk")).order_by())
    return RevisitReport(
        total=sum(counts.values()),
        satisfied=counts.get(Result.SATISFIED, 0),
        dissatisfied=counts.get(Result.DISSATISFIED, 0),
        unreachable=counts.get(Result.UNREACHABLE, 0),
        pending=counts.get("", 0),
    )


class ReportCounts(TypedDict):
    """What ``samples_with_report_counts`` annotates on each sample."""

    rv_total: int
    rv_satisfied: int
    rv_dissatisfied: int
    rv_unreachable: int
    rv_pending: int


def _calls_with(result: str) -> Count:
    return Count("calls", filter=Q(calls__result=result))


def samples_with_report_counts(
    samples: QuerySet[RevisitSample],
) -> "QuerySet[WithAnnotations[RevisitSample, ReportCounts]]":
    """``samples`` with the counts of ``revisit_report`` annotated (``rv_total``, ``rv_satisfied``…),
    so a list of samples takes one query; read them back with ``report_from_counts``."""
    return samples.annotate(
        rv_total=Count("calls"),
        rv_satisfied=_calls_with(Result.SATISFIED),
        rv_dissatisfied=_calls_with(Result.DISSATISFIED),
        rv_unreachable=_calls_with(Result.UNREACHABLE),
        rv_pending=_calls_with(""),
    )


def report_from_counts(sample: "WithAnnotations[RevisitSample, ReportCounts]") -> RevisitReport:
    """The report of a sample from ``samples_with_report_counts``."""
    return RevisitReport(
        total=sample.rv_total,
        satisfied=sample.rv_satisfied,
        dissatisfied=sample.rv_dissatisfied,
        unreachable=sample.rv_unreachable,
        pending=sample.rv_pending,
    )
