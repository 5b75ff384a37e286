import hashlib
import hmac
import secrets
import time

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "hcp"


def _digest(secret: str) -> str:
    # Keys are 256-bit random strings, so a plain SHA-256 is enough to store them (no stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """The key of one business system (or one big-screen client); only its hash is stored."""

    name = models.CharField(_("系统名称"), max_length=100, unique=True)
    prefix = models.CharField(_("密钥前缀"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    region = models.ForeignKey(
        "evaluations.Region",
        verbose_name=_("限定区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("留空为不限；设置后只能读取该区划及下级的数据。"),
    )
    reads_rankings = models.BooleanField(
        _("可读取排名"),
        default=False,
        help_text=_(
            "允许调用排名接口（大屏、绩效系统）；排名含工作人员姓名，只推送办件和评价的业务系统无需开启。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("最近更换"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def set_new_key(self) -> str:
        """Give the key a new secret and return the full key, which is shown once and never stored."""
        self.prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_hash = _digest(secret)
        return f"{KEY_PREFIX}_{self.prefix}_{secret}"

    @classmethod
    def authenticate(cls, presented: str) -> "ApiKey | None":
        """The active key ``presented`` names, or None.

        A key that authenticated is remembered in this process for AUTH_CACHE_SECONDS, so a busy
        business system costs no query per request; revoking or rotating it here forgets it at
        once, other server processes stop accepting it within AUTH_CACHE_SECONDS.
        """
        parts = presented.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            return None
        digest = _digest(parts[2])
        hit = _auth_cache.get(parts[1])
        if hit is not None and hit[0] > time.monotonic() and hmac.compare_digest(hit[1].key_hash, digest):
            return hit[1]
        key = cls.objects.select_related("region").filter(prefix=parts[1], active=True).first()
        if key is None or not hmac.compare_digest(key.key_hash, digest):
            return None
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=key.pk).update(last_used_at=now)  # at most one write a minute
        _auth_cache[key.prefix] = (time.monotonic() + AUTH_CACHE_SECONDS, key)
        return key


AUTH_CACHE_SECONDS = 30.0
_auth_cache: dict[str, tuple[float, ApiKey]] = {}


@receiver(post_save, sender=ApiKey)
@receiver(post_delete, sender=ApiKey)
def forget_keys(**kwargs) -> None:
    _auth_cache.clear()
