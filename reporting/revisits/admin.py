"""Revisit samples, their calls and the logged phone reveals in the admin: read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations.admin.cases import ReadOnlyAdmin
from evaluations.admin.masking import masked_text
from evaluations.scope import visible_to

from .models import RevisitCall, RevisitReveal, RevisitSample


class RevisitCallInline(admin.TabularInline):
    model = RevisitCall
    fields = ("position", "record", "result", "masked_note", "called_at", "caller")
    readonly_fields = fields
    masked_note = masked_text("note", _("意见建议"))
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[RevisitCall]:
        return super().get_queryset(request).select_related("sample__region", "record", "caller")


@admin.register(RevisitSample)
class RevisitSampleAdmin(ReadOnlyAdmin):
    list_display = ("region", "quarter", "percent", "population", "drawn_at", "drawn_by")
    list_select_related = ("region", "drawn_by")
    inlines = [RevisitCallInline]


@admin.register(RevisitReveal)
class RevisitRevealAdmin(ReadOnlyAdmin):
    """Who looked at a sampled citizen's full phone number, and when (DESIGN §9)."""

    list_display = ("call", "by", "at")
    list_select_related = ("call__sample__region", "by")
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RevisitReveal]:
        # A reveal has no region of its own: it is visible where its call is.
        calls = visible_to(request.user, RevisitCall.objects.all()).values("pk")
        return super().get_queryset(request).filter(call__in=calls)
