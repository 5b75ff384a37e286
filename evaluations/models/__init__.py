from .accounts import ADMIN_ROLES, Role, User
from .calendar import WorkCalendar
from .choices import BAD_GRADES, Grade, Target
from .matters import ServiceMatter, Tag
from .organisations import Department, Hall, Staff, Window
from .regions import Region

__all__ = [
    "ADMIN_ROLES",
    "BAD_GRADES",
    "Department",
    "Grade",
    "Hall",
    "Region",
    "Role",
    "ServiceMatter",
    "Staff",
    "Tag",
    "Target",
    "User",
    "Window",
    "WorkCalendar",
]
