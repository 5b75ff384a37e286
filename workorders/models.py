"""Bad-review work orders (差评工单): one per bad rating, with a django-fsm lifecycle (DESIGN §6).

Transition methods change ``state`` and milestone fields only; the services in workorders/services.py
lock the row, check the role and scope, call the transition, save, and write the WorkOrderEvent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from evaluations.models import Validity

from . import rules


class State(models.TextChoices):
    CREATED = "created", _("待派发")
    DISPATCHED = "dispatched", _("待签收")
    HANDLING = "handling", _("整改中")
    REVIEWING = "reviewing", _("待审核")
    REVISITING = "revisiting", _("待回访")
    CLOSED = "closed", _("已办结")
    APPEALING = "appealing", _("申诉复核中")
    VOIDED = "voided", _("申诉成立")  # with the region's outcome beside it: WorkOrder.state_label


OPEN_STATES = (
    State.CREATED,
    State.DISPATCHED,
    State.HANDLING,
    State.REVIEWING,
    State.REVISITING,
    State.APPEALING,
)


# The rectification clock runs while the department holds the order: it stops when the department
# submits (the office's review is not the department's time) and pauses during an appeal.
CLOCK_STATES = (State.DISPATCHED, State.HANDLING)


class Category(models.TextChoices):
    SIMPLE = "simple", _("立整立改（简易）")
    GENERAL = "general", _("限时整改（一般）")
    COMPLEX = "complex", _("综合协调（复杂）")


class RevisitResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("无法回访（匿名评价）")
    # A supervision order has no citizen to ask: the office re-inspects (复查) what it found.
    RECTIFIED = "rectified", _("复查整改到位")
    NOT_RECTIFIED = "not_rectified", _("复查未整改到位")


# The results of a call to the citizen, and of the office's re-inspection of a supervision finding.
CITIZEN_RESULTS = (RevisitResult.SATISFIED, RevisitResult.DISSATISFIED, RevisitResult.UNREACHABLE)
REINSPECTION_RESULTS = (RevisitResult.RECTIFIED, RevisitResult.NOT_RECTIFIED)


class RevisitChannel(models.TextChoices):
    HOTLINE = "hotline", _("12345 电话回访")
    SMS = "sms", _("短信回访")
    VISIT = "visit", _("上门或当面回访")
    REINSPECTION = "reinspection", _("监督复查")  # the office itself, for a supervision order


class ContactWay(models.TextChoices):
    """How the department reached the citizen (Tianjin art. 20: 回访; Ganzhou art. 17: 答复、联系)."""

    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    VISIT = "visit", _("当面或上门")
    REPLY = "reply", _("整改答复短信")  # recorded by the system when the reply goes out on submit


class Source(models.TextChoices):
    """Where the problem came from: a bad rating (一次一评、一事一评、综合点评) or the office's own
    supervision (监督查评: inspections, visits, questionnaires, forums; 51号 三(四)), which has no
    rating behind it."""

    RATING = "rating", _("差评")
    SUPERVISION = "supervision", _("监督查评")


# FSMModelMixin: refresh_from_db() on a protected FSMField raises without it.
class WorkOrder(FSMModelMixin, models.Model):
    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.RATING, db_index=True
    )
    # The bad rating behind the order; none for a supervision finding (source 监督查评).
    evaluation = models.OneToOneField(
        "evaluations.Evaluation", verbose_name=_("评价"), on_delete=models.PROTECT, related_name="work_order",
        null=True, blank=True,
    )  # fmt: skip
    # What is to be rectified when there is no rating to read it from (a supervision finding).
    summary = models.TextField(_("问题描述"), blank=True)
    state = FSMField(_("状态"), default=State.CREATED, choices=State.choices, protected=True, db_index=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.GENERAL)
    department = models.ForeignKey(
        "evaluations.Department",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    # The office that dispatches and supervises: the county's for townships and villages (Ganzhou art. 19).
    office_region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("管理部门所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="work_orders",
    )  # fmt: skip
    contact_due = models.DateField(_("联系时限"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系评价人时间"), null=True, blank=True)
    contact_way = models.CharField(_("联系方式"), max_length=16, choices=ContactWay.choices, blank=True)
    contact_note = models.TextField(_("联系情况"), blank=True)
    due = models.DateField(_("整改时限"), null=True, blank=True, db_index=True)
    extensions_used = models.PositiveSmallIntegerField(_("已延期次数"), default=0)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("派发时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交整改时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    paused_at = models.DateTimeField(_("申诉暂停起始"), null=True, blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    reply = models.TextField(_("答复评价人"), blank=True)
    # What the public pages publish of the reply (issue 14): written or approved by the office, with
    # numbers masked and names removed; until public_reply_at is set the public page shows no reply text.
    public_reply = models.TextField(_("公开答复"), blank=True)
    public_reply_at = models.DateTimeField(_("公开答复审定时间"), null=True, blank=True)
    public_reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公开答复审定人"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    revisit_result = models.CharField(_("回访结果"), max_length=16, choices=RevisitResult.choices, blank=True)
    revisit_channel = models.CharField(
        _("回访方式"), max_length=16, choices=RevisitChannel.choices, blank=True
    )
    # Set by the escalation task; "overdue" itself is derived from ``due`` and never a state.
    warned_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    contact_warned_at = models.DateTimeField(_("联系临期提醒时间"), null=True, blank=True)
    contact_overdue_at = models.DateTimeField(_("联系超时标记时间"), null=True, blank=True)

    scope_region_path = "office_region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("差评工单")
        verbose_name_plural = _("差评工单")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "due"], name="workorder_state_due")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source=Source.RATING, evaluation__isnull=False)
                    | models.Q(source=Source.SUPERVISION, evaluation__isnull=True)
                ),
                name="workorder_rating_iff_source_rating",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def state_label(self) -> str:
        """The state in words; a voided order names what its review became by the region's rules
        (Ganzhou 不予采纳, Tianjin art. 21 未评, Qingdao 不属实), not one outcome for all."""
        if self.state == State.VOIDED and self.evaluation is not None:
            outcome = self.evaluation.get_validity_display()
            if self.evaluation.validity == Validity.RULED:  # withdrawn on the flag review, no appeal
                return _("已撤销（%(outcome)s）") % {"outcome": outcome}
            return _("申诉成立（%(outcome)s）") % {"outcome": outcome}
        return str(self.get_state_display())

    @property
    def is_supervision(self) -> bool:
        """A supervision finding (监督查评): no rating, no citizen to contact, reply to or call back."""
        return self.source == Source.SUPERVISION

    @property
    def contacted_on_time(self) -> bool | None:
        """None while there is no contact limit or no contact yet; else whether it was kept."""
        if self.contact_due is None or self.contacted_at is None:
            return None
        return timezone.localtime(self.contacted_at).date() <= self.contact_due

    # --- transitions: one per business verb (CONVENTIONS §6) ---------------------------------

    @transition(field=state, source=State.CREATED, target=State.DISPATCHED, permission=rules.can_dispatch)
    def dispatch(self, *, at) -> None:
        self.dispatched_at = at

    @transition(field=state, source=State.DISPATCHED, target=State.CREATED, permission=rules.can_handle)
    def send_back(self) -> None:
        self.dispatched_at = None
        self.contact_due = None
        self.due = None

    @transition(field=state, source=State.DISPATCHED, target=State.HANDLING, permission=rules.can_handle)
    def accept(self, *, at) -> None:
        self.accepted_at = at

    @transition(
        field=state, source=State.HANDLING, target=State.REVIEWING, permission=rules.can_handle,
        conditions=[rules.has_rectification_and_reply],
    )  # fmt: skip
    def submit(self, *, at) -> None:
        self.submitted_at = at

    @transition(field=state, source=State.REVIEWING, target=State.REVISITING, permission=rules.can_supervise)
    def approve(self, *, at) -> None:
        self.approved_at = at

    @transition(field=state, source=State.REVIEWING, target=State.HANDLING, permission=rules.can_supervise)
    def reject(self) -> None:
        self.submitted_at = None

    @transition(
        field=state, source=State.HANDLING, target=State.APPEALING, permission=rules.can_handle,
        conditions=[rules.has_rating, rules.within_appeal_window, rules.not_appealed_before],
    )  # fmt: skip
    def appeal(self, *, at) -> None:
        self.paused_at = at

    @transition(field=state, source=State.APPEALING, target=State.HANDLING, permission=rules.can_supervise)
    def uphold(self) -> None:
        self.paused_at = None

    @transition(field=state, source=State.APPEALING, target=State.VOIDED, permission=rules.can_supervise)
    def void(self, *, at) -> None:
        self.paused_at = None
        self.closed_at = at

    # Not an appeal: the office ruled the rating itself 刷评 or 恶意评价 on review (evaluations flags), so
    # the order it opened ends from wherever it stands (services.withdrawal).
    @transition(field=state, source=OPEN_STATES, target=State.VOIDED, permission=rules.can_withdraw)
    def withdraw(self, *, at) -> None:
        self.paused_at = None
        self.closed_at = at

    @transition(
        field=state, source=State.REVISITING, target=State.CLOSED, permission=rules.can_revisit,
        conditions=[rules.revisit_is_recorded, rules.revisit_fits_source],
    )  # fmt: skip
    def record_revisit(self, *, at) -> None:
        self.closed_at = at


class WorkOrderEvent(models.Model):
    """The timeline: every transition, note, deadline change and escalation, with actor and time."""

    class Kind(models.TextChoices):
        CREATED = "created", _("生成工单")
        TRANSITION = "transition", _("状态变更")
        DEADLINE = "deadline", _("时限调整")
        EXTENSION = "extension", _("延期申请")
        WARNING = "warning", _("临期提醒")
        OVERDUE = "overdue", _("逾期")
        CONTACT = "contact", _("已联系评价人")
        REVEAL = "reveal", _("查看联系电话")
        NOTE = "note", _("备注")

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    action = models.CharField(_("操作"), max_length=32, blank=True)
    from_state = models.CharField(_("原状态"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # Now, unless an imported history gives the time it happened (reporting.upstream.import_orders):
    # the table is append-only for the application, so the time is set at INSERT, never corrected.
    at = models.DateTimeField(_("时间"), default=timezone.now, editable=False, db_index=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.get_kind_display()}"


class Decision(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")


class ExtensionRequest(models.Model):
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("延期理由"))
    new_due = models.DateField(_("申请延至"))
    old_due = models.DateField(_("原时限"))
    status = models.CharField(_("结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(status="pending"), name="one_pending_extension_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} → {self.new_due}"


class Appeal(models.Model):
    """A department's 申诉 that a bad review is mistaken or malicious; the office decides."""

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="appeals"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("申诉理由"))
    evidence = models.TextField(_("证据说明"), blank=True)
    status = models.CharField(_("结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    days_returned = models.PositiveSmallIntegerField(_("退还工作日"), default=0)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.order} {self.get_status_display()}"
