from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Validity


class Preset(models.TextChoices):
    NATIONAL = "national", _("国务院办公厅（国办发〔2019〕51号）")
    TIANJIN = "tianjin", _("天津市实施细则")
    GANZHOU = "ganzhou", _("赣州市运行管理办法")
    QINGDAO = "qingdao", _("青岛西海岸新区审批局")


class InvalidOutcome(models.TextChoices):
    """What a bad review found invalid on appeal is recorded as (the rating itself is untouched): one of
    the rating's invalid validities, so the values and words are Validity's own."""

    NOT_ADOPTED = Validity.NOT_ADOPTED.value, Validity.NOT_ADOPTED.label
    UNEVALUATED = Validity.UNEVALUATED.value, Validity.UNEVALUATED.label
    UNTRUE = Validity.UNTRUE.value, Validity.UNTRUE.label


class OnTimeout(models.TextChoices):
    UNEVALUATED = "unevaluated", _("记为“未评”")
    DEFAULT_SATISFIED = "default_satisfied", _("默认“满意”")


# The rules of DESIGN §5, one definition per preset: every field a preset sets is named here, and the
# model's defaults, the admin, ``manage.py policy`` and the scoring all read these dictionaries.
# Working days, counted from dispatch. ``None`` for a contact limit: the regulation sets no number.
#
# National (国办发〔2019〕51号) sets no numbers; where it is silent we read it as the other seeds
# do: a 5-working-day window, then a neutral "未评" marker so active-rate counts work; contact the
# evaluator within 1 working day and finish in 1 / 5 / 15 (the Tianjin categories); appeal 3 + 3
# (Ganzhou art. 19); at most two extensions (Ganzhou art. 17); invalid = 不予采纳 (51号 三(五)).
# Scoring (Tianjin art. 23): points per grade and the composite's weights in percent; the other
# seeds publish no scale, so every preset starts from Tianjin's. Ranking thresholds are our own:
# at least 10 ratings to be ranked, "consecutively low" = bottom 3 for 3 periods (Tianjin art. 26),
# a 5 % quarterly revisit sample (Qingdao art. 17 says "一定比例").
NATIONAL_RULES: dict[str, object] = {
    "window_days": 5,
    "on_timeout": OnTimeout.UNEVALUATED,
    "reminder_hours": None,
    "bad_needs_reason": True,
    "contact_days_simple": 1,
    "contact_days_general": 1,
    "contact_days_complex": 1,
    "finish_days_simple": 1,
    "finish_days_general": 5,
    "finish_days_complex": 15,
    "appeal_days": 3,
    "appeal_review_days": 3,
    "max_extensions": 2,
    "invalid_outcome": InvalidOutcome.NOT_ADOPTED,
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

PRESETS: dict[str, dict[str, object]] = {
    Preset.NATIONAL: NATIONAL_RULES,
    Preset.TIANJIN: {
        **NATIONAL_RULES,
        # Art. 16: remind after 24 h; 5 working days, then "未评".
        "reminder_hours": 24,
        # Art. 20: simple and general revisited within 1 working day, results in 1 / 5; complex:
        # results in 15, the evaluator "及时" contacted (no number).
        "contact_days_complex": None,
        # Art. 21: appeal within 1 working day; an invalid bad review is recorded as 未评. No extensions.
        "appeal_days": 1,
        "max_extensions": 0,
        "invalid_outcome": InvalidOutcome.UNEVALUATED,
    },
    Preset.GANZHOU: {
        **NATIONAL_RULES,
        # Art. 16: an SMS as soon as a completed case arrives unrated; 5 working days, then 满意.
        "on_timeout": OnTimeout.DEFAULT_SATISFIED,
        "reminder_hours": 0,
        # Art. 17: clear cases answered in 1; complex ones contacted in 2 and finished in 10 (its two
        # classes: 一般 is read as the complex one); at most two extensions. Art. 19: appeal 3 + 3.
        "contact_days_general": 2,
        "contact_days_complex": 2,
        "finish_days_general": 10,
        "finish_days_complex": 10,
    },
    Preset.QINGDAO: {
        **NATIONAL_RULES,
        # Silent on a reason, a reminder and a window. Art. 13: "第一时间" revisited (read as 1 working
        # day), rectified within 5 working days; an invalid review is marked 不属实. No extensions.
        "bad_needs_reason": False,
        "finish_days_simple": 5,
        "finish_days_general": 5,
        "finish_days_complex": 5,
        "max_extensions": 0,
        "invalid_outcome": InvalidOutcome.UNTRUE,
    },
}
RULE_FIELDS: tuple[str, ...] = tuple(NATIONAL_RULES)


def _rule(name: str) -> dict:
    """The model-field default of a rule: the national preset's value."""
    return {"default": NATIONAL_RULES[name]}


NO_LIMIT = {"null": True, "blank": True, "help_text": _("留空：制度未规定联系时限。")}


def _points(label, name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, **_rule(name), validators=[MaxValueValidator(100)])


def _days(label, name: str, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, **_rule(name), validators=[MaxValueValidator(60)], **kwargs
    )


class Policy(models.Model):
    """The rules a region applies; a region without its own inherits its nearest ancestor's."""

    region = models.OneToOneField(
        "evaluations.Region", verbose_name=_("适用区划"), on_delete=models.CASCADE, related_name="policy"
    )
    preset = models.CharField(_("依据"), max_length=16, choices=Preset.choices, default=Preset.NATIONAL)
    window_days = models.PositiveSmallIntegerField(
        _("评价期限（工作日）"),
        **_rule("window_days"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("办结后多少个工作日内可以评价（含追评）。"),
    )
    on_timeout = models.CharField(
        _("超期未评处理"), max_length=24, choices=OnTimeout.choices, **_rule("on_timeout")
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("提醒时间（小时）"),
        null=True,
        blank=True,
        **_rule("reminder_hours"),
        help_text=_("办结后多少小时仍未评价即短信提醒；0 为办结即提醒；留空不提醒。"),
    )
    bad_needs_reason = models.BooleanField(_("差评须选标签或填写理由"), **_rule("bad_needs_reason"))
    quiet_start = models.TimeField(_("免打扰开始"), default="21:00")
    quiet_end = models.TimeField(_("免打扰结束"), default="08:00")
    # Bad-review work orders (working days, counted from dispatch).
    contact_days_simple = _days(_("联系评价人时限：立整立改（简易）"), "contact_days_simple", **NO_LIMIT)
    contact_days_general = _days(_("联系评价人时限：限时整改（一般）"), "contact_days_general", **NO_LIMIT)
    contact_days_complex = _days(_("联系评价人时限：综合协调（复杂）"), "contact_days_complex", **NO_LIMIT)
    finish_days_simple = _days(_("整改时限：立整立改（简易）"), "finish_days_simple")
    finish_days_general = _days(_("整改时限：限时整改（一般）"), "finish_days_general")
    finish_days_complex = _days(_("整改时限：综合协调（复杂）"), "finish_days_complex")
    appeal_days = _days(_("申诉期限"), "appeal_days")
    appeal_review_days = _days(_("申诉复核时限"), "appeal_review_days")
    max_extensions = models.PositiveSmallIntegerField(
        _("最多延期次数"), **_rule("max_extensions"), validators=[MaxValueValidator(10)]
    )
    invalid_outcome = models.CharField(
        _("申诉成立的差评记为"),
        max_length=16,
        choices=InvalidOutcome.choices,
        **_rule("invalid_outcome"),
    )
    urgent_notices = models.BooleanField(
        _("非工作日也发送催办短信"), default=False, help_text=_("默认只在工作日 8:00—21:00 发送。")
    )
    # A local setting, not a rule of a preset: no regulation sets how long an office may take to review
    # a burst-flagged rating; the cap (at most 20) keeps a hold from ever suppressing a rating for long
    # (自愿真实, Tianjin and Qingdao art. 4). evaluations/flags.py counts it.
    flag_hold_days = models.PositiveSmallIntegerField(
        _("待核查评价暂缓计入（工作日）"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "被标记待核查的评价在核查前暂不计入统计，最多这么多个工作日，期满未核查即自动计入；0 为不暂缓。"
        ),
    )
    # A local setting too: no regulation says how long an evaluator device may hold a rating offline.
    # It is how long the hall's network may be down, not a rule of a preset, so switching the preset
    # keeps it. A case's timeout marker waits as long (evaluations.services.timeouts).
    late_upload_days = models.PositiveSmallIntegerField(
        _("离线评价补传期限（工作日）"),
        default=3,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "评价设备离线保存的评价，在评价后多少个工作日内上传仍受理（记为补传）；"
            "评价期限按评价时间判断。0 为只受理当天上传。"
        ),
    )

    # Scoring and ranking (reporting).
    points_grade5 = _points(_("非常满意得分"), "points_grade5")
    points_grade4 = _points(_("满意得分"), "points_grade4")
    points_grade3 = _points(_("基本满意得分"), "points_grade3")
    points_grade2 = _points(_("不满意得分"), "points_grade2")
    points_grade1 = _points(_("非常不满意得分"), "points_grade1")
    weight_quality = _points(_("综合评分权重：服务质量（%）"), "weight_quality")
    weight_active = _points(_("综合评分权重：主动评价率（%）"), "weight_active")
    weight_rectification = _points(_("综合评分权重：差评整改率（%）"), "weight_rectification")
    weight_revisit = _points(_("综合评分权重：整改回访满意率（%）"), "weight_revisit")
    min_sample = models.PositiveIntegerField(
        _("参与排名的最少评价数"),
        **_rule("min_sample"),
        help_text=_("评价数少于此数的对象单独列出，不参与排名。"),
    )
    low_rank_bottom = models.PositiveSmallIntegerField(
        _("排名靠后：末尾名次数"), **_rule("low_rank_bottom"), validators=[MinValueValidator(1)]
    )
    low_rank_periods = models.PositiveSmallIntegerField(
        _("排名靠后：连续期数"),
        **_rule("low_rank_periods"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    revisit_sample_percent = models.DecimalField(
        _("季度随机回访抽样比例（%）"),
        max_digits=5,
        decimal_places=2,
        **_rule("revisit_sample_percent"),
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

    def contact_days(self, category: str) -> int | None:
        """The working days to contact the evaluator for a work order of ``category`` (None: no limit)."""
        return getattr(self, f"contact_days_{category}")

    def finish_days(self, category: str) -> int:
        """The working days to finish (rectify and answer) a work order of ``category``."""
        return getattr(self, f"finish_days_{category}")

    def overrides(self) -> list[str]:
        """The rules on which this policy differs from its preset, in field order."""
        rules = PRESETS[self.preset]
        return [name for name in RULE_FIELDS if getattr(self, name) != rules[name]]

    def apply_preset(self, preset: str, *, keep: Iterable[str] = ()) -> None:
        """Take every rule of ``preset``, except the fields named in ``keep`` (overrides to keep)."""
        kept = set(keep)
        self.preset = preset
        self.restore_rules(name for name in RULE_FIELDS if name not in kept)

    def restore_rules(self, names: Iterable[str]) -> list[str]:
        """Put the named rules back to the preset's values ("恢复为预设"); returns the rules named."""
        rules = PRESETS[self.preset]
        restored = [name for name in names if name in rules]
        for name in restored:
            setattr(self, name, rules[name])
        return restored

    @classmethod
    def from_preset(cls, preset: str, **fields) -> "Policy":
        return cls(preset=preset, **{**PRESETS[preset], **fields})
