"""Who changed what, in the admin's history (LogEntry): services that change credentials or devices
write it themselves, so a page, the admin and a command can never forget it. A command run from the
shell has no user (``by=None``) and leaves the log to its own output."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db.models import Model

from .models import User

__all__ = ["ADDITION", "CHANGE", "audit"]


def audit(by: User | None, obj: Model, flag: int, message: str) -> None:
    if by is None:
        return
    LogEntry.objects.log_actions(by.pk, [obj], flag, change_message=str(message), single_object=True)
