"""Records-API keys of business systems: issue, rotate, revoke (DESIGN §7: one key per system).

The full key is returned once by ``apikey_create`` and ``apikey_rotate`` and never stored: the table
keeps a public prefix and a hash. Rotating gives a system a new secret and makes the old one stop
working at once; it also re-activates a revoked key, which is how an administrator restores a
system's access. Revoking makes every secret of the key stop working.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import ADDITION, CHANGE, audit
from ..models import ApiKey, Region, User

logger = logging.getLogger(__name__)


class ApiKeyError(Exception):
    """A key request that cannot be carried out; the message is for the person who asked."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def apikey_create(
    *, by: User | None, name: str, region: Region | None = None, reads_rankings: bool = False
) -> tuple[ApiKey, str]:
    """Issue a key for the business system ``name``; returns (key, full key shown once)."""
    name = name.strip()
    if not name:
        raise ApiKeyError(_("请填写系统名称。"))
    with transaction.atomic():
        if ApiKey.objects.filter(name=name).exists():
            raise ApiKeyError(_("系统名称“%(name)s”已存在。") % {"name": name})
        key = ApiKey(name=name, region=region, reads_rankings=reads_rankings)
        full_key = _new_secret(key)
        key.save()
        audit(by, key, ADDITION, _("签发接口密钥"))
    logger.info("api key created: %s (%s)", key.name, key.prefix)
    return key, full_key


def apikey_rotate(*, by: User | None, key: ApiKey) -> str:
    """Give ``key`` a new secret (the old one stops working) and return the full new key."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        full_key = _new_secret(locked)
        locked.active = True
        locked.revoked_at = None
        locked.rotated_at = timezone.now()
        locked.save()
        audit(by, locked, CHANGE, _("更换密钥"))
    _copy(locked, key)
    logger.info("api key rotated: %s (%s)", key.name, key.prefix)
    return full_key


def apikey_revoke(*, by: User | None, key: ApiKey) -> None:
    """Stop every request made with ``key``; revoking twice keeps the first revocation time."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.active or locked.revoked_at is None:
            locked.active = False
            locked.revoked_at = locked.revoked_at or timezone.now()
            locked.save(update_fields=["active", "revoked_at"])
            audit(by, locked, CHANGE, _("停用"))
    _copy(locked, key)
    logger.info("api key revoked: %s (%s)", key.name, key.prefix)


def _new_secret(key: ApiKey) -> str:
    # The prefix is 32 random bits and unique; draw again in the unlikely case it is taken.
    while True:
        full_key = key.set_new_key()
        if not ApiKey.objects.filter(prefix=key.prefix).exclude(pk=key.pk).exists():
            return full_key


def _copy(source: ApiKey, target: ApiKey) -> None:
    for field in ("prefix", "key_hash", "active", "rotated_at", "revoked_at"):
        setattr(target, field, getattr(source, field))
