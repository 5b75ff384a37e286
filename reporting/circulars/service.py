"""Writing circulars (Ganzhou art. 20, Tianjin art. 23-26): generate a draft, edit it, freeze it, publish
it, withdraw it with a reason, and correct it with a new version.

Each function is one transaction on the locked row; the database itself refuses a change of a frozen
circular or a transition out of order (migrations 0003, 0011), so these checks are there to say why.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from evaluations.models import Region, User
from reporting.models import Circular, CircularState, TypicalCase

from ..periods import Period
from .cases import candidate_orders, marked_orders
from .models import MAX_REASON
from .numbers import suggested_number
from .snapshot import CIRCULAR_LEVELS, case_snapshots, circular_snapshot

__all__ = ["CIRCULAR_LEVELS", "circular_generate", "circular_publish"]

MAX_NUMBER = 60


def _next_version(region: Region, period: str) -> int:
    # The caller holds the region row lock, which serialises the generators of one region.
    latest = Circular.objects.filter(region=region, period=period).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def circular_generate(*, region: Region, period: Period, by: User | None = None) -> Circular:
    """A draft of ``period`` for ``region`` as a new version (1 for the first, then max + 1): the
    figures frozen now, the text prefilled (document number, the office's marked typical cases)."""
    if period.kind != "month":
        raise ValidationError(_("月度通报只能按月生成。"))
    if period.last >= timezone.localdate():
        raise ValidationError(_("只能生成已经结束的月份的通报。"))
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()
        policy, data = circular_snapshot(region, period)
        return Circular.objects.create(
            region=region,
            period=str(period),
            version=_next_version(region, str(period)),
            policy=policy,
            data=data,
            created_by=by,
            number=suggested_number(region, timezone.localdate()),
            cases=case_snapshots(marked_orders(region, period)),
        )


def _locked(circular: Circular) -> Circular:
    return Circular.objects.select_for_update().select_related("region").get(pk=circular.pk)


def _refreshed(circular: Circular) -> Circular:
    """The caller's instance with what the service wrote."""
    circular.refresh_from_db()
    return circular


def circular_draft_save(
    *, circular: Circular, number: str, narrative: str, case_orders: list[int], by: User
) -> Circular:
    """The office's text of a draft: its document number, narrative and typical cases (ticking a case
    marks it as typical for the office, unticking removes the mark)."""
    number = number.strip()
    if len(number) > MAX_NUMBER:
        raise ValidationError({"number": _("文号不能超过 %(n)d 个字。") % {"n": MAX_NUMBER}})
    with transaction.atomic():
        locked = _locked(circular)
        if locked.state != CircularState.DRAFT:
            raise ValidationError(_("通报已冻结，不能再修改。"))
        period = Period.parse(locked.period)
        offered = {order.pk: order for order in candidate_orders(locked.region, period)}
        unknown = set(case_orders) - set(offered)
        if unknown:
            raise ValidationError({"cases": _("所选案例不是本通报范围内本月的差评。")})
        chosen = [offered[pk] for pk in offered if pk in set(case_orders)]
        marks = TypicalCase.objects.filter(region=locked.region, order__in=list(offered))
        marks.exclude(order__in=[order.pk for order in chosen]).delete()
        for order in chosen:
            TypicalCase.objects.get_or_create(region=locked.region, order=order, defaults={"marked_by": by})
        locked.number, locked.narrative = number, narrative.strip()
        locked.cases = case_snapshots(chosen)
        locked.save(update_fields=["number", "narrative", "cases"])
    return _refreshed(circular)


def circular_freeze(*, circular: Circular, by: User | None) -> Circular:
    """Fix the draft's text; from now on nothing of it changes (the trigger of migration 0011)."""
    with transaction.atomic():
        locked = _locked(circular)
        if locked.state != CircularState.DRAFT:
            raise ValidationError(_("该通报已冻结。"))
        if not locked.number:
            raise ValidationError({"number": _("请先填写通报文号再冻结。")})
        clash = (
            Circular.objects.filter(region=locked.region, number=locked.number)
            .exclude(state=CircularState.DRAFT)
            .exclude(period=locked.period)  # a correction keeps the number of the version it replaces
            .first()
        )
        if clash is not None:
            message = _("文号“%(number)s”已用于 %(other)s。") % {"number": locked.number, "other": clash}
            raise ValidationError({"number": message})
        locked.freeze(by=by, at=timezone.now())
        locked.save()
    return _refreshed(circular)


def circular_publish(*, circular: Circular, by: User | None) -> Circular:
    """Show a frozen circular on the public pages (好差评专区); publishing twice keeps the first time."""
    with transaction.atomic():
        locked = _locked(circular)
        if locked.state == CircularState.PUBLISHED:
            return _refreshed(circular)
        if locked.state != CircularState.FROZEN:
            raise ValidationError(_("只有已冻结的通报才能公开，请先冻结。"))
        shown = (
            Circular.objects.filter(region=locked.region, period=locked.period, state=CircularState.PUBLISHED)
            .exclude(pk=locked.pk)
            .first()
        )
        if shown is not None:
            raise ValidationError(
                _("本月第 %(version)d 版通报正在公开，请先撤回该版本。") % {"version": shown.version}
            )
        locked.publish(by=by, at=timezone.now())
        locked.save()
    return _refreshed(circular)


def circular_withdraw(*, circular: Circular, reason: str, by: User) -> Circular:
    """Take a published circular back: the public page then shows it withdrawn, with ``reason``."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因，公众将在专区看到该原因。")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("撤回原因不能超过 %(n)d 个字。") % {"n": MAX_REASON}})
    with transaction.atomic():
        locked = _locked(circular)
        try:
            locked.withdraw(by=by, at=timezone.now(), reason=reason)
        except TransitionNotAllowed:
            raise ValidationError(_("只有已公开的通报才能撤回。")) from None
        locked.save()
    return _refreshed(circular)


def circular_correct(*, circular: Circular, by: User) -> Circular:
    """The correction of a withdrawn circular: the next version, a draft with the month's figures read
    again and the withdrawn version's text; once frozen and published it replaces it on the public page.
    Asking twice gives the same draft."""
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=circular.region_id).first()
        locked = _locked(circular)
        if locked.state != CircularState.WITHDRAWN:
            raise ValidationError(_("只有已撤回的通报才能更正。"))
        existing = Circular.objects.filter(corrects=locked).first()
        if existing is not None:
            return existing
        policy, data = circular_snapshot(locked.region, Period.parse(locked.period))
        return Circular.objects.create(
            region=locked.region,
            period=locked.period,
            version=_next_version(locked.region, locked.period),
            policy=policy,
            data=data,
            created_by=by,
            number=locked.number,
            narrative=locked.narrative,
            cases=locked.cases,
            corrects=locked,
        )
