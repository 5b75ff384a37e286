"""Provincial profiles for the upstream push; ``UPSTREAM_PROFILE`` picks one per deployment.

Adding a province is adding a module here with a ``Profile`` subclass, its entry in ``PROFILES``, its
mock platform under tests/reporting/ and its section in docs/upstream.md.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Profile
from .generic import Generic
from .shandong import Shandong
from .zhejiang import Zhejiang

PROFILES: dict[str, type[Profile]] = {cls.name: cls for cls in (Generic, Zhejiang, Shandong)}


def current_profile() -> Profile:
    name = settings.UPSTREAM_PROFILE
    if name not in PROFILES:
        raise ImproperlyConfigured(f"UPSTREAM_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return PROFILES[name]()


__all__ = ["PROFILES", "Profile", "current_profile"]
