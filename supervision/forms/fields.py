"""Widgets and querysets the supervision forms share: dates as the browser's pickers, and the places
and people inside a region."""

from django import forms
from django.db.models import Q, QuerySet

from evaluations.models import Department, Region, Role, User, Window
from evaluations.scope import visible_to

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def ancestor_paths(path: str) -> list[str]:
    """ "/a/b/c/" -> ["/a/", "/a/b/", "/a/b/c/"]."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def inspectors_for(user: User) -> QuerySet[User]:
    """Office staff in the planner's scope, and 社会监督员 whose scope is inside it or contains it."""
    people = User.objects.filter(is_active=True, role__in=(Role.OFFICE, Role.MONITOR)).select_related(
        "region"
    )
    if user.has_global_scope:
        return people.order_by("role", "username")
    path = user.region.path if user.region else "-"
    around = Q(region__path__startswith=path) | Q(role=Role.MONITOR, region__path__in=ancestor_paths(path))
    return people.filter(around).order_by("role", "username")


def regions_for(user: User) -> QuerySet[Region]:
    return visible_to(user, Region.objects.filter(level__lte=Region.Level.TOWNSHIP)).order_by("path")


def departments_in(region: Region) -> QuerySet[Department]:
    return Department.objects.filter(region__path__startswith=region.path).order_by("name")


def windows_in(region: Region) -> QuerySet[Window]:
    return (
        Window.objects.filter(hall__region__path__startswith=region.path)
        .select_related("hall")
        .order_by("code")
    )


class WindowChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Window) -> str:
        return f"{obj.hall.name} · {obj.name}（{obj.code}）"


class WindowsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Window) -> str:
        return f"{obj.hall.name} · {obj.name}（{obj.code}）"


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()}（{obj.get_role_display()}）"
