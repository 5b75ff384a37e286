"""What needs the user, for the home page (issue 16 §2): counts that each link to the list of exactly
those items.

evaluations imports no other app (DESIGN §3), so an app that has lists of its own (work orders) registers
a provider here when it is ready; the home page asks every provider. Each provider must count with the
very queryset behind the list it links to, so the home page and the list can never disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from . import flags
from .models import Role, User
from .roles import FLAG_READERS


@dataclass(frozen=True)
class Need:
    key: str
    label: str
    count: int
    url: str
    alarm: bool = False  # shown in red while not zero (overdue, due today)
    read_only: bool = False  # the user may look but not act (the auditor)


Provider = Callable[[User], list[Need]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _flagged(user: User) -> list[Need]:
    """Burst-flagged ratings waiting for the office's review (/reviews/flags/, the same queue)."""
    if user.role not in FLAG_READERS and not user.is_superuser:
        return []
    read_only = user.role == Role.AUDITOR and not user.is_superuser
    count = flags.queue(user).count()
    return [Need("flags", _("待核查评价"), count, reverse("reviews:flags"), read_only=read_only)]


def needs_of(user: User) -> list[Need]:
    found: list[Need] = []
    for provider in _providers:
        found.extend(provider(user))
    return found + _flagged(user)
