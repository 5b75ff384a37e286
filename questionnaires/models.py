"""A questionnaire (问卷调查; 51号 三(四), 青岛 三(四)): built by an office for its region, published
at an unguessable link, answered anonymously, closed when the survey ends.

A draft's questions may change; once published they are frozen, because answers point at them.
One submission is one ``Submission`` with its ``Answer`` rows, written together or not at all.
Personal data is asked only when the office adds such a question (kind ``phone`` or ``name``); the
answer is then stored encrypted and shown masked on every staff page and in the export.
"""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from evaluations.crypto import EncryptedTextField

SCALE = range(1, 6)  # 1-5 scales: 1 the worst, 5 the best
TEXT_LIMIT = 500  # characters of a free-text answer, as a rating's comment


def new_token() -> str:
    """22 URL-safe characters (128 bits): a link nobody can guess from another."""
    return secrets.token_urlsafe(16)


class Purpose(models.TextChoices):
    # 51号 三(四): 政策知悉度、办事便利度、服务满意度 (Qingdao's text says 知晓度).
    AWARENESS = "awareness", _("政策知晓度")
    CONVENIENCE = "convenience", _("办事便利度")
    SATISFACTION = "satisfaction", _("服务满意度")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("收集中")
    CLOSED = "closed", _("已结束")


def has_questions(questionnaire: Any) -> bool:
    """A questionnaire without a question cannot be published."""
    return questionnaire.questions.exists()


class Questionnaire(FSMModelMixin, models.Model):
    title = models.CharField(_("问卷标题"), max_length=100)
    purpose = models.CharField(_("调查目的"), max_length=16, choices=Purpose.choices)
    intro = models.TextField(_("说明"), blank=True, help_text=_("显示在问卷开头，例如调查的政策或服务。"))
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    token = models.CharField(_("链接令牌"), max_length=32, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == State.PUBLISHED

    @transition(field=state, source=State.DRAFT, target=State.PUBLISHED, conditions=[has_questions])
    def publish(self, *, at) -> None:
        self.published_at = at

    @transition(field=state, source=State.PUBLISHED, target=State.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at


class Kind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    SCALE = "scale", _("1–5 分量表")
    TEXT = "text", _("填空题（文字）")
    PHONE = "phone", _("联系电话（个人信息）")
    NAME = "name", _("姓名（个人信息）")


CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE})
PERSONAL_KINDS = frozenset({Kind.PHONE, Kind.NAME})


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=200)
    required = models.BooleanField(_("必答"), default=True)

    scope_region_path = "questionnaire__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"],
                name="question_position_unique",
                deferrable=models.Deferrable.DEFERRED,  # two questions swap places in one transaction
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_KINDS

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("选项"), max_length=100)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique")
        ]

    def __str__(self) -> str:
        return self.text


class Submission(models.Model):
    """One citizen's filled-in questionnaire. Anonymous: no address, no login, only the moment and
    the page's one-time key (so a double tap or a resent form is not counted twice)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="submissions"
    )
    client_id = models.CharField(_("提交标识"), max_length=40)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    scope_region_path = "questionnaire__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "client_id"], name="submission_client_id_unique")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}#{self.pk}"


class Answer(models.Model):
    """One answer: a choice (one row per ticked box of a multiple-choice question), a scale value,
    free text, or personal data (encrypted)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("答卷"), on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("选项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    scale = models.PositiveSmallIntegerField(_("分值"), null=True, blank=True)
    text = models.TextField(_("文字"), blank=True)
    personal = EncryptedTextField(_("个人信息"), blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["submission", "question__position", "choice__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale__isnull=True) | models.Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
            models.UniqueConstraint(fields=["submission", "question", "choice"], name="answer_choice_once"),
            models.UniqueConstraint(
                fields=["submission", "question"], condition=models.Q(choice__isnull=True), name="answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}"
