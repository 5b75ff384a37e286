"""Window evaluator devices (评价器, pads, kiosks) and the case waiting for a rating at each window."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.crypto import EncryptedTextField


class Device(models.Model):
    class Kind(models.TextChoices):
        EVALUATOR = "evaluator", _("窗口评价器")
        PAD = "pad", _("评价平板")
        KIOSK = "kiosk", _("自助终端")

    serial = models.CharField(_("设备序列号"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.EVALUATOR)
    hall = models.ForeignKey(
        "evaluations.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="devices"
    )
    window = models.ForeignKey(
        "evaluations.Window", verbose_name=_("窗口"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="devices",
    )  # fmt: skip
    # HMAC needs the secret itself, so it is stored encrypted (FIELD_ENCRYPTION_KEY), never in clear.
    secret = EncryptedTextField(_("密钥"), editable=False)
    active = models.BooleanField(_("启用"), default=True)
    firmware = models.CharField(_("固件版本"), max_length=64, blank=True)
    last_seen_at = models.DateTimeField(_("最近在线"), null=True, blank=True)
    last_address = models.GenericIPAddressField(_("最近地址"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("最近更换密钥"), null=True, blank=True)
    offline_alerted_at = models.DateTimeField(_("离线告警时间"), null=True, blank=True)

    scope_region_path = "hall__region__path"
    scope_department = "window__departments"

    class Meta:
        verbose_name = _("评价设备")
        verbose_name_plural = _("评价设备")
        ordering = ["hall__code", "serial"]

    def __str__(self) -> str:
        return self.serial

    @staticmethod
    def new_secret() -> str:
        return secrets.token_hex(32)


class PendingRating(models.Model):
    """The case just finished at a window, shown on its evaluator until rated or replaced."""

    window = models.OneToOneField(
        "evaluations.Window", verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="pending_rating"
    )
    record = models.ForeignKey(
        "evaluations.ServiceRecord", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+"
    )
    set_at = models.DateTimeField(_("发起时间"))
    set_by = models.CharField(_("发起方"), max_length=32, blank=True)
    # 2 when the clerk offers a rated case again for its one follow-up (追评, assessNumber 2).
    assess_number = models.PositiveSmallIntegerField(
        _("评价次数"), default=1, choices=[(1, _("首评")), (2, _("追评"))]
    )

    class Meta:
        verbose_name = _("待评价办件")
        verbose_name_plural = _("待评价办件")

    def __str__(self) -> str:
        return f"{self.window} · {self.record}"
