from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preset(models.TextChoices):
    NATIONAL = "national", _("国务院办公厅（国办发〔2019〕51号）")
    TIANJIN = "tianjin", _("天津市实施细则")
    GANZHOU = "ganzhou", _("赣州市运行管理办法")
    QINGDAO = "qingdao", _("青岛西海岸新区审批局")


class InvalidOutcome(models.TextChoices):
    """What a bad review found invalid on appeal is recorded as (the rating itself is untouched)."""

    NOT_ADOPTED = "not_adopted", _("不予采纳")
    UNEVALUATED = "unevaluated", _("归为“未评”")
    UNTRUE = "untrue", _("不属实")


class OnTimeout(models.TextChoices):
    UNEVALUATED = "unevaluated", _("记为“未评”")
    DEFAULT_SATISFIED = "default_satisfied", _("默认“满意”")


# Work-order numbers where a regulation is silent (working days): the Tianjin categories, the
# Ganzhou appeal rule and two extensions.
WORK_ORDER_DEFAULTS = {
    "contact_days": 1,
    "finish_days_simple": 1,
    "finish_days_general": 5,
    "finish_days_complex": 15,
    "appeal_days": 3,
    "appeal_review_days": 3,
    "max_extensions": 2,
    "invalid_outcome": InvalidOutcome.NOT_ADOPTED,
}

# Scoring (Tianjin art. 23): points per grade, the composite's weights in percent. The other rules
# publish no scale, so every preset starts from Tianjin's; ranking thresholds are our own defaults:
# at least 10 ratings to be ranked, "consecutively low" = bottom 3 for 3 periods running (art. 26).
SCORING_DEFAULTS = {
    "points_grade5": 10,
    "points_grade4": 10,
    "points_grade3": 8,
    "points_grade2": 5,
    "points_grade1": 0,
    "weight_quality": 30,
    "weight_active": 15,
    "weight_rectification": 30,
    "weight_revisit": 25,
    "min_sample": 10,
    "low_rank_bottom": 3,
    "low_rank_periods": 3,
    "revisit_sample_percent": 5,
}

# The numbers of DESIGN §5 that intake uses. Where a regulation is silent the national column's
# reading applies: a 5-working-day window and a neutral "未评" marker, so active-rate counts work.
PRESETS: dict[str, dict] = {
    Preset.NATIONAL: {
        "window_days": 5,
        "on_timeout": OnTimeout.UNEVALUATED,
        "reminder_hours": None,
        "bad_needs_reason": True,
        **WORK_ORDER_DEFAULTS,
        **SCORING_DEFAULTS,
    },
    # Tianjin art. 16: remind after 24 h; 5 working days, then "未评".
    Preset.TIANJIN: {
        "window_days": 5,
        "on_timeout": OnTimeout.UNEVALUATED,
        "reminder_hours": 24,
        "bad_needs_reason": True,
        # Art. 19-21: revisit within 1 working day; results in 1 / 5 / 15; appeal within 1; invalid -> 未评.
        **WORK_ORDER_DEFAULTS,
        "appeal_days": 1,
        "max_extensions": 0,
        "invalid_outcome": InvalidOutcome.UNEVALUATED,
        **SCORING_DEFAULTS,
    },
    # Ganzhou: an SMS as soon as a completed case arrives unrated; 5 working days, then default 满意.
    Preset.GANZHOU: {
        "window_days": 5,
        "on_timeout": OnTimeout.DEFAULT_SATISFIED,
        "reminder_hours": 0,
        "bad_needs_reason": True,
        # Art. 17, 19: clear cases answered in 1; complex: contact in 2, finished in 10; appeal 3 + 3.
        **WORK_ORDER_DEFAULTS,
        "contact_days": 2,
        "finish_days_general": 10,
        "finish_days_complex": 10,
        "max_extensions": 2,
        **SCORING_DEFAULTS,
    },
    # Qingdao's department rules say nothing of a reason, a reminder or a window.
    Preset.QINGDAO: {
        "window_days": 5,
        "on_timeout": OnTimeout.UNEVALUATED,
        "reminder_hours": None,
        "bad_needs_reason": False,
        # Art. 13-14: rectified within 5 working days; an invalid review is marked 不属实.
        **WORK_ORDER_DEFAULTS,
        "finish_days_simple": 5,
        "finish_days_general": 5,
        "finish_days_complex": 5,
        "max_extensions": 0,
        "invalid_outcome": InvalidOutcome.UNTRUE,
        **SCORING_DEFAULTS,
    },
}


def _points(label, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=default, validators=[MaxValueValidator(100)])


class Policy(models.Model):
    """The rules a region applies; a region without its own inherits its nearest ancestor's."""

    region = models.OneToOneField(
        "evaluations.Region", verbose_name=_("适用区划"), on_delete=models.CASCADE, related_name="policy"
    )
    preset = models.CharField(_("依据"), max_length=16, choices=Preset.choices, default=Preset.NATIONAL)
    window_days = models.PositiveSmallIntegerField(
        _("评价期限（工作日）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("办结后多少个工作日内可以评价（含追评）。"),
    )
    on_timeout = models.CharField(
        _("超期未评处理"), max_length=24, choices=OnTimeout.choices, default=OnTimeout.UNEVALUATED
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("提醒时间（小时）"),
        null=True,
        blank=True,
        help_text=_("办结后多少小时仍未评价即短信提醒；0 为办结即提醒；留空不提醒。"),
    )
    bad_needs_reason = models.BooleanField(_("差评须选标签或填写理由"), default=True)
    quiet_start = models.TimeField(_("免打扰开始"), default="21:00")
    quiet_end = models.TimeField(_("免打扰结束"), default="08:00")
    # Bad-review work orders (working days, counted from dispatch).
    contact_days = models.PositiveSmallIntegerField(_("联系评价人时限"), default=1)
    finish_days_simple = models.PositiveSmallIntegerField(_("整改时限：立整立改（简易）"), default=1)
    finish_days_general = models.PositiveSmallIntegerField(_("整改时限：限时整改（一般）"), default=5)
    finish_days_complex = models.PositiveSmallIntegerField(_("整改时限：综合协调（复杂）"), default=15)
    appeal_days = models.PositiveSmallIntegerField(_("申诉期限"), default=3)
    appeal_review_days = models.PositiveSmallIntegerField(_("申诉复核时限"), default=3)
    max_extensions = models.PositiveSmallIntegerField(_("最多延期次数"), default=2)
    invalid_outcome = models.CharField(
        _("申诉成立的差评记为"),
        max_length=16,
        choices=InvalidOutcome.choices,
        default=InvalidOutcome.NOT_ADOPTED,
    )
    urgent_notices = models.BooleanField(
        _("非工作日也发送催办短信"), default=False, help_text=_("默认只在工作日 8:00—21:00 发送。")
    )

    # Scoring and ranking (reporting).
    points_grade5 = _points(_("非常满意得分"), 10)
    points_grade4 = _points(_("满意得分"), 10)
    points_grade3 = _points(_("基本满意得分"), 8)
    points_grade2 = _points(_("不满意得分"), 5)
    points_grade1 = _points(_("非常不满意得分"), 0)
    weight_quality = _points(_("综合评分权重：服务质量（%）"), 30)
    weight_active = _points(_("综合评分权重：主动评价率（%）"), 15)
    weight_rectification = _points(_("综合评分权重：差评整改率（%）"), 30)
    weight_revisit = _points(_("综合评分权重：整改回访满意率（%）"), 25)
    min_sample = models.PositiveIntegerField(
        _("参与排名的最少评价数"), default=10, help_text=_("评价数少于此数的对象单独列出，不参与排名。")
    )
    low_rank_bottom = models.PositiveSmallIntegerField(
        _("排名靠后：末尾名次数"), default=3, validators=[MinValueValidator(1)]
    )
    low_rank_periods = models.PositiveSmallIntegerField(
        _("排名靠后：连续期数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    revisit_sample_percent = models.DecimalField(
        _("季度随机回访抽样比例（%）"),
        max_digits=5,
        decimal_places=2,
        default=5,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("评价规则")
        verbose_name_plural = _("评价规则")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_preset_display()}"

    def clean(self) -> None:
        super().clean()
        weights = (self.weight_quality, self.weight_active, self.weight_rectification, self.weight_revisit)
        if None not in weights and sum(weights) != 100:
            raise ValidationError({"weight_revisit": _("四项综合评分权重之和应为 100。")})

    @property
    def grade_points(self) -> dict[int, int]:
        return {
            5: self.points_grade5,
            4: self.points_grade4,
            3: self.points_grade3,
            2: self.points_grade2,
            1: self.points_grade1,
        }

    @classmethod
    def from_preset(cls, preset: str, **fields) -> "Policy":
        return cls(preset=preset, **{**PRESETS[preset], **fields})
