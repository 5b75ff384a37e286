"""Circulars in the admin: read-only (they are generated and published on the reporting pages)."""

from django.contrib import admin

from evaluations.admin.cases import ReadOnlyAdmin

from .models import Circular


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ("region", "period", "version", "created_at", "created_by", "published_at")
    list_filter = ("period",)
    list_select_related = ("region", "created_by")
    exclude = ("data", "policy")
