"""监督查评 in the admin: a read-only register for audits; every change goes through the staff pages."""

from django.contrib import admin
from django.http import HttpRequest

from evaluations.admin.base import ScopedModelAdmin

from .models import Assessment, Finding, Forum, Inspection, Visit


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "region", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("inspection", "by", "visited_at", "mode")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("visit", "department", "category", "severity", "work_order")
    list_filter = ("category", "severity")


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "region", "held_on")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "assessor", "region", "period_start", "period_end", "imported_at")
