"""Work orders in the admin: a read-only register for audits; all changes go through the inbox."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations.admin.base import ScopedModelAdmin
from evaluations.admin.masking import masked_text

from .models import WorkOrder, WorkOrderEvent


class EventInline(admin.TabularInline):
    model = WorkOrderEvent
    fields = ("at", "kind", "action", "from_state", "to_state", "actor", "masked_note")
    readonly_fields = fields
    masked_note = masked_text("note", _("说明"))
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ScopedModelAdmin):
    list_display = (
        "number",
        "source",
        "state",
        "category",
        "department",
        "due",
        "extensions_used",
        "overdue_flagged_at",
    )
    list_filter = ("source", "state", "category")
    search_fields = ("number", "evaluation__record__serial_no")
    list_select_related = ("department",)
    date_hierarchy = "created_at"
    inlines = [EventInline]
    exclude = ("evaluation", "summary", "rectification", "reply", "contact_note")
    readonly_fields = (
        "number", "source", "masked_summary", "state", "category", "department", "office_region", "handler",
        "contact_due", "due",
        "extensions_used", "created_at", "dispatched_at", "accepted_at", "submitted_at", "approved_at",
        "closed_at", "paused_at", "masked_rectification", "masked_reply", "masked_contact_note",
        "public_reply", "public_reply_at", "public_reply_by", "revisit_result", "revisit_channel",
        "warned_at", "overdue_flagged_at",
    )  # fmt: skip

    masked_summary = masked_text("summary", _("问题描述"))
    masked_rectification = masked_text("rectification", _("整改情况"))
    masked_reply = masked_text("reply", _("答复评价人"))
    masked_contact_note = masked_text("contact_note", _("联系情况"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
