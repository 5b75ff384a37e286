"""Recording a forum with deputies and committee members and the issues raised there."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Department, Region, User

from ..models import Forum, ForumIssue
from . import SupervisionError, planners_only


def forum_record(
    *,
    by: User,
    title: str,
    kind: str,
    region: Region,
    held_on: date,
    attendees: str,
    venue: str = "",
    note: str = "",
    issues: list[tuple[Department, str, str]] = (),
) -> Forum:
    """The forum and the issues raised (department, what, who) together, or nothing."""
    planners_only(by)
    if not by.has_global_scope and (by.region is None or not region.path.startswith(by.region.path)):
        raise SupervisionError(_("只能登记本辖区内的座谈会。"), "region")
    with transaction.atomic():
        forum = Forum.objects.create(
            title=title.strip(),
            kind=kind,
            region=region,
            held_on=held_on,
            attendees=attendees.strip(),
            venue=venue.strip(),
            note=note.strip(),
            created_by=by,
        )
        for department, description, raised_by in issues:
            forum_issue_add(
                forum=forum, by=by, department=department, description=description, raised_by=raised_by
            )
    return forum


def forum_issue_add(
    *, forum: Forum, by: User, department: Department, description: str, raised_by: str = ""
) -> ForumIssue:
    planners_only(by)
    if not department.region.path.startswith(forum.region.path):
        raise SupervisionError(_("责任部门不在座谈会所属区划内。"), "department")
    return ForumIssue.objects.create(
        forum=forum, department=department, description=description.strip(), raised_by=raised_by.strip()
    )
