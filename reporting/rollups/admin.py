"""The rollup watermark in the admin: read-only."""

from django.contrib import admin

from evaluations.admin.cases import ReadOnlyAdmin

from .models import RollupState


@admin.register(RollupState)
class RollupStateAdmin(ReadOnlyAdmin):
    list_display = ("watermark", "refreshed_at")
