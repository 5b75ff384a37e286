"""What each role may do, as Django permissions, granted by RoleBackend.

The role on the user is the single source of truth: there are no groups to keep in step.
Row-level limits are the data scope (evaluations.scope); these are model-level rights.
"""

from django.contrib.auth.backends import ModelBackend

from .models import Role

_MASTER = ("region", "department", "hall", "window", "staff", "servicematter")


def _perms(actions: str, models: tuple[str, ...], app: str = "evaluations") -> set[str]:
    return {f"{app}.{action}_{model}" for action in actions.split() for model in models}


_CASES = ("servicerecord", "evaluation", "feedback", "smsmessage")
_ORDERS = _perms("view", ("workorder", "workorderevent", "extensionrequest", "appeal"), app="workorders")
_VIEW_ALL = _perms("view", (*_MASTER, *_CASES, "tag", "workcalendar", "user", "policy")) | _ORDERS

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # A management office keeps the master data of its region subtree and the holiday table.
    Role.OFFICE: frozenset(
        _VIEW_ALL
        | _perms("add change", (*_MASTER, "workcalendar", "policy"))
        | _perms("delete", ("workcalendar",))
    ),
    # A department keeps its own staff and reads its matters and windows.
    Role.DEPARTMENT: frozenset(
        _perms(
            "view", ("department", "window", "staff", "servicematter", "tag", "servicerecord", "evaluation")
        )
        | _perms("add change", ("staff",))
        | _ORDERS
    ),
    # A hall manager keeps the windows and staff of the hall's region.
    Role.HALL_MANAGER: frozenset(
        _perms("view", ("hall", "window", "staff", "department", "servicematter", "tag"))
        | _perms("change", ("window", "staff"))
    ),
    Role.WINDOW_STAFF: frozenset(),
    Role.HOTLINE: frozenset(_perms("view", ("servicematter", "tag"))),
    # An auditor reads everything in scope and changes nothing.
    Role.AUDITOR: frozenset(_VIEW_ALL),
    # A 社会监督员 works on the supervision pages only (supervision.access), never in the admin.
    Role.MONITOR: frozenset(),
}


# Who uses which pages. Each app's access module guards its views with these sets; they are named
# here, once, so that the home page can link to every app's pages without importing the apps.
# Rating entry by phone or on paper, and 综合点评 (the desk pages).
ENTRY_ROLES = frozenset({Role.HOTLINE, Role.WINDOW_STAFF, Role.HALL_MANAGER, Role.OFFICE, Role.SYSADMIN})
FEEDBACK_READERS = frozenset({Role.DEPARTMENT, Role.HALL_MANAGER, Role.OFFICE, Role.SYSADMIN, Role.AUDITOR})
FEEDBACK_ANSWERERS = frozenset({Role.DEPARTMENT, Role.OFFICE, Role.SYSADMIN})
# Work orders (workorders.access); the auditor reads everything in scope and acts on nothing.
ORDER_READERS = frozenset({Role.OFFICE, Role.DEPARTMENT, Role.HOTLINE, Role.SYSADMIN, Role.AUDITOR})
BOARD_READERS = frozenset({Role.OFFICE, Role.SYSADMIN, Role.AUDITOR})
DEVICE_MANAGERS = frozenset({Role.HALL_MANAGER, Role.OFFICE, Role.SYSADMIN})  # devices.access
# Reporting pages (reporting.access).
REPORT_READERS = frozenset({Role.OFFICE, Role.AUDITOR, Role.SYSADMIN, Role.DEPARTMENT, Role.HALL_MANAGER})
REVISIT_CALLERS = frozenset({Role.OFFICE, Role.HOTLINE, Role.SYSADMIN})  # quarterly random revisits
# A circular ranks every unit of a region: a management office's document, not a department's.
CIRCULAR_READERS = frozenset({Role.OFFICE, Role.AUDITOR, Role.SYSADMIN})
# The review queue of burst-flagged ratings (evaluations.views.flags): offices decide, the auditor reads.
FLAG_REVIEWERS = frozenset({Role.OFFICE, Role.SYSADMIN})
FLAG_READERS = FLAG_REVIEWERS | {Role.AUDITOR}
# 监督查评 (supervision.access): offices plan inspections, hold forums, import assessments and turn
# findings into work orders; a 社会监督员 sees and reports on their own assignments only; the auditor reads.
SUPERVISION_PLANNERS = frozenset({Role.OFFICE, Role.SYSADMIN})
SUPERVISION_READERS = SUPERVISION_PLANNERS | {Role.AUDITOR, Role.MONITOR}


class RoleBackend(ModelBackend):
    """ModelBackend plus the permissions of the user's role."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perms = set(super().get_all_permissions(user_obj, obj))
        return perms | ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), frozenset())
