"""The work orders' counts on the home page (evaluations/home_needs.py): per role, the inbox tabs the
role works from, each counted by the inbox's own tab aggregate (selectors.inbox_tabs) and linking to
that tab, so the home page and the tab always show the same number."""

from django.urls import reverse

from evaluations.home_needs import Need
from evaluations.models import Role, User
from evaluations.roles import ORDER_READERS

from . import selectors

# What each role can act on, in the order the home page shows it; the auditor reads the office's counts.
_OFFICE: tuple[str, ...] = ("overdue", "due_today", "dispatch", "review", "revisit")
_TABS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.OFFICE: _OFFICE,
    Role.SYSADMIN: _OFFICE,
    Role.AUDITOR: _OFFICE,
    Role.DEPARTMENT: ("overdue", "due_today", "handling"),
    Role.HOTLINE: ("revisit",),
}
_ALARMS = {"overdue", "due_today"}


def workorder_needs(user: User) -> list[Need]:
    if user.role not in ORDER_READERS and not user.is_superuser:
        return []
    wanted = _OFFICE if user.is_superuser else _TABS_BY_ROLE.get(user.role, ())
    tabs = {tab.key: tab for tab in selectors.inbox_tabs(user)}
    url = reverse("workorders:inbox")
    read_only = user.role == Role.AUDITOR and not user.is_superuser
    return [
        Need(key, tabs[key].label, tabs[key].count, f"{url}?tab={key}", key in _ALARMS, read_only)
        for key in wanted
    ]
