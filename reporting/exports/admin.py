"""Export jobs in the admin: read-only."""

from django.contrib import admin

from evaluations.admin.cases import ReadOnlyAdmin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("kind", "file_format", "date_from", "date_to", "requested_by", "status", "done", "total")
    list_filter = ("status", "kind")
    list_select_related = ("requested_by",)
