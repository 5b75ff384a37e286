"""Circulars in the admin: read-only (they are generated and published on the reporting pages); the
issuing offices' document-number patterns are edited here."""

from django.contrib import admin

from evaluations.admin.base import ScopedModelAdmin
from evaluations.admin.cases import ReadOnlyAdmin

from .models import Circular, CircularOffice


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ("region", "period", "version", "state", "number", "created_at", "published_at")
    list_filter = ("period", "state")
    list_select_related = ("region", "created_by")
    exclude = ("data", "policy", "cases")


@admin.register(CircularOffice)
class CircularOfficeAdmin(ScopedModelAdmin):
    list_display = ("region", "name", "number_pattern")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    search_fields = ("region__name", "name")
