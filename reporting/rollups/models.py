"""Daily rollups: what rankings, dashboards and circulars read instead of the raw ratings (DESIGN §4).

``DailyRollup`` keeps every dimension (day × region × department × hall × window × staff × matter ×
channel) with the grades pivoted into columns, so one row carries a whole grade distribution.
``DepartmentDaily`` is the same counts summed per day and department (a province-month is ~60 000 rows
of it against ~15 million ratings), and ``DepartmentMonthly`` the same per calendar month (~2 000 rows):
region and department rankings read that one, so they cost the same whatever the number of ratings.

Both are rebuilt slice by slice (day × department) from the ratings and their work orders by
reporting/rollups/build.py, never incremented in place, so a rebuild is always exact and re-runnable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _dimension(model: str, label):
    # No database constraint: a rollup is derived data, rebuilt from ratings that already protect it.
    return models.ForeignKey(
        model, verbose_name=label, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        null=True, blank=True,
    )  # fmt: skip


class Measures(models.Model):
    """The counts of a rollup row; reporting/scoring.py turns them into rates and the composite.

    g1..g5: valid ratings per grade (active and default ratings, never voided ones);
    defaults: of those, the default ratings given on timeout (Ganzhou: 默认满意);
    unevaluated: timed-out 未评 markers plus case ratings voided "as 未评" (Tianjin art. 21);
    voided: ratings found invalid on appeal, whatever they became;
    orders..realname_revisited: the work orders of valid bad reviews and how far they got;
    case_active: active ratings in a case's own slot (its matter at completion, first rating), so
    that active rate and 未评率 count cases, as timeouts do, not every staff rating or follow-up;
    held: burst-flagged ratings not yet reviewed and still within their hold when the slice was built
    (evaluations/flags.py): in none of g1..g5, defaults, case_active; their work orders count as on
    the board (workorders/figures.py) until a ruling;
    ruled: ratings the office ruled 刷评 or 恶意评价 on review: in no other measure (not in voided).
    """

    g1 = models.IntegerField(_("非常不满意"), default=0)
    g2 = models.IntegerField(_("不满意"), default=0)
    g3 = models.IntegerField(_("基本满意"), default=0)
    g4 = models.IntegerField(_("满意"), default=0)
    g5 = models.IntegerField(_("非常满意"), default=0)
    defaults = models.IntegerField(_("超期默认评价"), default=0)
    unevaluated = models.IntegerField(_("未评"), default=0)
    voided = models.IntegerField(_("申诉成立的差评"), default=0)
    orders = models.IntegerField(_("有效差评工单"), default=0)
    rectified = models.IntegerField(_("已整改"), default=0)
    on_time = models.IntegerField(_("按期整改"), default=0)
    revisited = models.IntegerField(_("已回访"), default=0)
    revisit_satisfied = models.IntegerField(_("回访满意"), default=0)
    realname_orders = models.IntegerField(_("实名差评工单"), default=0)
    realname_revisited = models.IntegerField(_("实名差评已回访"), default=0)
    case_active = models.IntegerField(_("主动评价办件"), default=0)
    # With a database default: the benchmarks write rollup rows with their own column lists.
    held = models.IntegerField(_("待核查暂缓计入"), default=0, db_default=0)
    ruled = models.IntegerField(_("认定刷评或恶意评价"), default=0, db_default=0)

    MEASURES = (
        "g1", "g2", "g3", "g4", "g5", "defaults", "unevaluated", "voided", "orders", "rectified",
        "on_time", "revisited", "revisit_satisfied", "realname_orders", "realname_revisited", "case_active",
        "held", "ruled",
    )  # fmt: skip

    class Meta:
        abstract = True


class DailyRollup(Measures):
    day = models.DateField(_("日期"))
    region = _dimension("evaluations.Region", _("区划"))
    department = _dimension("evaluations.Department", _("部门"))
    hall = _dimension("evaluations.Hall", _("大厅"))
    window = _dimension("evaluations.Window", _("窗口"))
    staff = _dimension("evaluations.Staff", _("工作人员"))
    matter = _dimension("evaluations.ServiceMatter", _("事项"))
    channel = models.CharField(_("评价渠道"), max_length=16)
    target = models.CharField(_("评价对象"), max_length=16, default="matter")

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        indexes = [models.Index(fields=["day", "department"], name="rollup_day_department")]

    def __str__(self) -> str:
        return f"{self.day} · {self.department_id}"


class DepartmentDaily(Measures):
    day = models.DateField(_("日期"))
    region = _dimension("evaluations.Region", _("区划"))
    department = _dimension("evaluations.Department", _("部门"))

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("部门每日统计")
        verbose_name_plural = _("部门每日统计")
        indexes = [models.Index(fields=["day", "department"], name="department_daily_day")]

    def __str__(self) -> str:
        return f"{self.day} · {self.department_id}"


class DepartmentMonthly(Measures):
    """DepartmentDaily summed per calendar month: what region and department rankings read."""

    month = models.DateField(_("月份"), help_text=_("当月 1 日"))
    region = _dimension("evaluations.Region", _("区划"))
    department = _dimension("evaluations.Department", _("部门"))

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("部门每月统计")
        verbose_name_plural = _("部门每月统计")
        indexes = [models.Index(fields=["month", "department"], name="department_monthly_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.department_id}"


class RollupState(models.Model):
    """One row: up to when ratings and work-order events have been folded into the rollups."""

    watermark = models.DateTimeField(_("已汇总至"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("最近汇总时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总进度")
        verbose_name_plural = _("汇总进度")

    def __str__(self) -> str:
        return f"{self.watermark}"
