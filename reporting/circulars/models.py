"""Monthly circulars (通报): a draft the office edits, then a frozen snapshot it publishes, withdraws or
corrects with a new version.

The figures (``data``, ``policy``) are computed once at generation and never recomputed in place; the
office's text (document number, narrative, typical cases) may change only while the circular is a draft.
A database trigger (migrations 0003, 0011) refuses every other change, so "frozen" holds whatever code
writes the row. The lifecycle is one-way: draft → frozen → published → withdrawn; a correction is the
next version, a draft made from the withdrawn one (``corrects``).

Each transition happens at most once per row, so its milestone columns (who and when, and the reason of a
withdrawal) are the circular's whole log; no separate event table is needed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

# Columns fixed from generation on (the trigger's list is written out in the migrations).
FROZEN_FIELDS = ("region_id", "period", "version", "policy", "data", "created_at", "created_by_id")
# Columns the office edits in the draft, fixed by freezing.
DRAFT_FIELDS = ("number", "narrative", "cases", "corrects_id")
MAX_REASON = 500


class CircularState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FROZEN = "frozen", _("已冻结")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


class CircularOffice(models.Model):
    """An issuing office's own settings: its name on the circular and its document-number pattern."""

    region = models.OneToOneField(
        "evaluations.Region", verbose_name=_("通报区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(
        _("发文机关"), max_length=100, blank=True, help_text=_("例如：赣州市政务服务管理办公室")
    )
    number_pattern = models.CharField(
        _("文号格式"),
        max_length=60,
        default="〔{year}〕{seq}号",
        help_text=_("{year} 为年份，{seq} 为本年第几期通报，例如：赣市政管通〔{year}〕{seq}号"),
    )

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("通报发文设置")
        verbose_name_plural = _("通报发文设置")

    def __str__(self) -> str:
        return self.name or str(self.region)

    def clean(self) -> None:
        try:
            self.number_pattern.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError):
            message = _("文号格式只能使用 {year} 和 {seq} 两个占位符。")
            raise ValidationError({"number_pattern": message}) from None
        if "{seq}" not in self.number_pattern:
            raise ValidationError({"number_pattern": _("文号格式须包含 {seq}（本年第几期）。")})


class Circular(FSMModelMixin, models.Model):
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("通报区划"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("统计月份"), max_length=7, help_text=_("YYYY-MM"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    policy = models.JSONField(_("计分规则"), default=dict)
    data = models.JSONField(_("统计数据"), default=dict)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    state = FSMField(
        _("状态"), default=CircularState.DRAFT, choices=CircularState.choices, protected=True, db_index=True
    )
    number = models.CharField(_("文号"), max_length=60, blank=True)
    narrative = models.TextField(_("通报正文"), blank=True)
    # The typical cases (典型案例) the office kept, as they read when it saved the draft.
    cases = models.JSONField(_("典型案例"), default=list, blank=True)
    corrects = models.OneToOneField(
        "self", verbose_name=_("更正的版本"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="correction",
    )  # fmt: skip
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("冻结人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公开人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("好差评通报")
        verbose_name_plural = _("好差评通报")
        ordering = ["-period", "region__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "version"], name="circular_region_period_version"
            ),
            # One public version of a month at a time: the older one is withdrawn before its correction.
            models.UniqueConstraint(
                fields=["region", "period"], condition=Q(state="published"), name="circular_one_published"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(frozen_at__isnull=False), name="circular_frozen_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["published", "withdrawn"]) | Q(published_at__isnull=False),
                name="circular_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdraw_reason="")),
                name="circular_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(region)s %(period)s 好差评通报（第 %(version)d 版）") % {
            "region": self.region.name,
            "period": self.period,
            "version": self.version,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_draft(self) -> bool:
        return self.state == CircularState.DRAFT

    # Transitions change the state and its milestone only; reporting/circulars/service.py locks, checks
    # the office and saves.
    @transition(field=state, source=CircularState.DRAFT, target=CircularState.FROZEN)
    def freeze(self, *, by, at) -> None:
        self.frozen_at, self.frozen_by = at, by

    @transition(field=state, source=CircularState.FROZEN, target=CircularState.PUBLISHED)
    def publish(self, *, by, at) -> None:
        self.published_at, self.published_by = at, by

    @transition(field=state, source=CircularState.PUBLISHED, target=CircularState.WITHDRAWN)
    def withdraw(self, *, by, at, reason: str) -> None:
        self.withdrawn_at, self.withdrawn_by, self.withdraw_reason = at, by, reason


class TypicalCase(models.Model):
    """A bad review an office marked as 典型案例 (Ganzhou art. 21: problems to analyse and rectify).

    Evaluations are append-only and a work order belongs to the workorders app, so the mark is a row of
    its own, per office: the city and a county may each mark the same case. Marking happens on the
    circular's draft page, where the office chooses its cases; the next draft of that office is prefilled
    with the marks of its month.
    """

    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("标记的管理部门区划"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        "workorders.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("标记人"), on_delete=models.PROTECT, related_name="+"
    )

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("典型案例标记")
        verbose_name_plural = _("典型案例标记")
        constraints = [models.UniqueConstraint(fields=["region", "order"], name="typical_case_once")]

    def __str__(self) -> str:
        return f"{self.region} · {self.order_id}"
