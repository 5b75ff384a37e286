"""Rulings and the chain's daily digests in the admin: shown, never changed (the database refuses it)."""

from django.contrib import admin

from ..models import DailyDigest, Ruling
from .cases import ReadOnlyAdmin


@admin.register(Ruling)
class RulingAdmin(ReadOnlyAdmin):
    list_display = ("decided_at", "evaluation", "outcome", "source", "decided_by", "reason")
    list_filter = ("outcome", "source")
    list_select_related = ("evaluation", "decided_by")
    search_fields = ("evaluation__id",)


@admin.register(DailyDigest)
class DailyDigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "head", "links", "total", "last_link")
    date_hierarchy = "day"
