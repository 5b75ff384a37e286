"""Export-only django-import-export resources: ratings and work orders as a reader sees them.

Columns carry Chinese headers and labels, times in local time. No evaluator name or full phone ever
leaves through an export (DESIGN §9): at most the masked number of a real-name rating, and phone and
ID numbers written into free text are masked too (evaluations/pii.py).
"""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from evaluations.models import Evaluation, Tag, User
from evaluations.pii import mask_text
from evaluations.scope import visible_to
from evaluations.text import strip_controls
from reporting.periods import local_day_bounds
from workorders.models import CLOCK_STATES, Source, State, WorkOrder

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def local_time(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def plain_text(value: str) -> str:
    """Citizens' free text must not run as a spreadsheet formula, nor break the workbook: control
    characters stored before issue 14 (openpyxl refuses them) go first, so that "\x01=SUM()" cannot
    become a formula once cleaned."""
    value = strip_controls(value)
    return f"'{value}" if value and value.startswith(FORMULA_PREFIXES) else value


def _col(name: str, column: Any) -> fields.Field:
    return fields.Field(attribute=name, column_name=column, readonly=True)


class ExportResource(resources.ModelResource):
    """Rows of the requesting user's scope between two local dates."""

    date_field = ""
    related: tuple[str, ...] = ()

    def rows_for(self, user: User, date_from: dt.date, date_to: dt.date) -> QuerySet:
        model = self._meta.model
        start, end = local_day_bounds(date_from, date_to)
        queryset = model.objects.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})
        return visible_to(user, queryset).select_related(*self.related).order_by("pk")

    def export_row(self, instance: Any) -> list:
        return self.export_resource(instance)

    class Meta:
        abstract = True


class EvaluationExportResource(ExportResource):
    date_field = "rated_at"
    related = ("record", "department", "region", "matter", "window", "staff")

    rated_at = _col("rated_at", _("评价时间"))
    serial_no = _col("serial_no", _("办件编号"))
    region = _col("region", _("区划"))
    department = _col("department", _("部门"))
    matter = _col("matter", _("事项"))
    window = _col("window", _("窗口"))
    staff = _col("staff", _("工作人员"))
    target = _col("target", _("评价对象"))
    stage = _col("stage", _("评价环节"))
    grade = _col("grade", _("评价等级"))
    kind = _col("kind", _("评价类型"))
    assess_number = _col("assess_number", _("首评/追评"))
    channel = _col("channel", _("评价渠道"))
    tags = _col("tags", _("评价标签"))
    comment = _col("comment", _("评价内容"))
    real_name = _col("real_name", _("实名评价"))
    masked_phone = _col("masked_phone", _("评价人电话（脱敏）"))
    validity = _col("validity", _("有效性"))
    validity_reason = _col("validity_reason", _("认定理由"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._tags: dict[str, str] | None = None

    def dehydrate_rated_at(self, row: Evaluation) -> str:
        return local_time(row.rated_at)

    def dehydrate_serial_no(self, row: Evaluation) -> str:
        return row.record.serial_no if row.record else ""

    def dehydrate_region(self, row: Evaluation) -> str:
        return row.region.name

    def dehydrate_department(self, row: Evaluation) -> str:
        return row.department.name

    def dehydrate_matter(self, row: Evaluation) -> str:
        return row.matter.name if row.matter else ""

    def dehydrate_window(self, row: Evaluation) -> str:
        return row.window.name if row.window else ""

    def dehydrate_staff(self, row: Evaluation) -> str:
        return row.staff.name if row.staff else ""

    def dehydrate_target(self, row: Evaluation) -> str:
        return str(row.get_target_display())

    def dehydrate_stage(self, row: Evaluation) -> str:
        return str(row.get_stage_display())

    def dehydrate_grade(self, row: Evaluation) -> str:
        return str(row.get_grade_display()) if row.grade else ""

    def dehydrate_kind(self, row: Evaluation) -> str:
        return str(row.get_kind_display())

    def dehydrate_assess_number(self, row: Evaluation) -> str:
        return str(row.get_assess_number_display())

    def dehydrate_channel(self, row: Evaluation) -> str:
        return str(row.get_channel_display())

    def dehydrate_tags(self, row: Evaluation) -> str:
        if self._tags is None:
            self._tags = dict(Tag.objects.values_list("code", "text"))
        return "；".join(self._tags.get(code, code) for code in row.tags)

    def dehydrate_comment(self, row: Evaluation) -> str:
        # A citizen may have written a phone or ID number into the comment.
        return plain_text(mask_text(row.comment))

    def dehydrate_real_name(self, row: Evaluation) -> str:
        return str(_("是") if row.real_name else _("否"))

    def dehydrate_masked_phone(self, row: Evaluation) -> str:
        return row.masked_phone

    def dehydrate_validity(self, row: Evaluation) -> str:
        return str(row.get_validity_display())

    def dehydrate_validity_reason(self, row: Evaluation) -> str:
        return plain_text(mask_text(row.validity_reason))

    class Meta:
        model = Evaluation
        fields = export_order = (
            "rated_at", "serial_no", "region", "department", "matter", "window", "staff", "target", "stage",
            "grade", "kind", "assess_number", "channel", "tags", "comment", "real_name", "masked_phone",
            "validity", "validity_reason",
        )  # fmt: skip


class WorkOrderExportResource(ExportResource):
    # By the day of the bad rating, as in the reports, so one month's two exports match each other; a
    # supervision order (监督查评) has no rating and goes by the day it was opened.
    date_field = "evaluation__rated_at"
    related = ("department", "evaluation")

    number = _col("number", _("工单编号"))
    source = _col("source", _("来源"))
    summary = _col("summary", _("问题描述"))
    state = _col("state", _("状态"))
    department = _col("department", _("承办部门"))
    category = _col("category", _("类别"))
    grade = _col("grade", _("评价等级"))
    rated_at = _col("rated_at", _("评价时间"))
    created_at = _col("created_at", _("生成时间"))
    due = _col("due", _("整改时限"))
    dispatched_at = _col("dispatched_at", _("派发时间"))
    submitted_at = _col("submitted_at", _("提交整改时间"))
    approved_at = _col("approved_at", _("审核通过时间"))
    closed_at = _col("closed_at", _("办结时间"))
    revisit_result = _col("revisit_result", _("回访结果"))
    overdue = _col("overdue", _("是否逾期"))

    def __init__(self, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today or timezone.localdate()

    def rows_for(self, user: User, date_from: dt.date, date_to: dt.date) -> QuerySet:
        start, end = local_day_bounds(date_from, date_to)
        rated = Q(evaluation__rated_at__gte=start, evaluation__rated_at__lt=end)
        found = Q(source=Source.SUPERVISION, created_at__gte=start, created_at__lt=end)
        queryset = WorkOrder.objects.filter(rated | found)
        return visible_to(user, queryset).select_related(*self.related).order_by("pk")

    def dehydrate_number(self, row: WorkOrder) -> str:
        return row.number

    def dehydrate_source(self, row: WorkOrder) -> str:
        return str(row.get_source_display())

    def dehydrate_summary(self, row: WorkOrder) -> str:
        return plain_text(mask_text(row.summary))

    def dehydrate_state(self, row: WorkOrder) -> str:
        return row.state_label

    def dehydrate_department(self, row: WorkOrder) -> str:
        return row.department.name

    def dehydrate_category(self, row: WorkOrder) -> str:
        return str(row.get_category_display())

    def dehydrate_grade(self, row: WorkOrder) -> str:
        rating = row.evaluation  # none behind a supervision order: its grade and time stay empty
        return str(rating.get_grade_display()) if rating is not None and rating.grade else ""

    def dehydrate_rated_at(self, row: WorkOrder) -> str:
        return local_time(row.evaluation.rated_at) if row.evaluation is not None else ""

    def dehydrate_created_at(self, row: WorkOrder) -> str:
        return local_time(row.created_at)

    def dehydrate_due(self, row: WorkOrder) -> str:
        return row.due.isoformat() if row.due else ""

    def dehydrate_dispatched_at(self, row: WorkOrder) -> str:
        return local_time(row.dispatched_at)

    def dehydrate_submitted_at(self, row: WorkOrder) -> str:
        return local_time(row.submitted_at)

    def dehydrate_approved_at(self, row: WorkOrder) -> str:
        return local_time(row.approved_at)

    def dehydrate_closed_at(self, row: WorkOrder) -> str:
        return local_time(row.closed_at)

    def dehydrate_revisit_result(self, row: WorkOrder) -> str:
        return str(row.get_revisit_result_display()) if row.revisit_result else ""

    def dehydrate_overdue(self, row: WorkOrder) -> str:
        """Open past its due date, or closed after it (the board's 按期办结 rule)."""
        if row.due is None:
            return ""
        if row.state in CLOCK_STATES:
            late = self.today > row.due
        elif row.state == State.CLOSED and row.closed_at:
            late = timezone.localtime(row.closed_at).date() > row.due
        else:
            late = False
        return str(_("是") if late else _("否"))

    class Meta:
        model = WorkOrder
        fields = export_order = (
            "number", "source", "summary", "state", "department", "category", "grade", "rated_at",
            "created_at", "due", "dispatched_at", "submitted_at", "approved_at", "closed_at",
            "revisit_result", "overdue",
        )  # fmt: skip


RESOURCES: dict[str, type[ExportResource]] = {
    "evaluations": EvaluationExportResource,
    "workorders": WorkOrderExportResource,
}
