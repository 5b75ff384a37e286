"""The admin of an outbox (SMS, upstream): read-only rows, the last error shortened in the list, and a
"重新发送" action for those allowed to change the model. Rows are written by services and sent by
tasks, never edited or deleted by hand: the outbox is the record of what was sent."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class OutboxAdmin(admin.ModelAdmin):
    list_filter = ("status", "kind")
    list_per_page = 50
    actions = ("retry",)
    error_chars = 40  # of last_error, in the list

    @admin.display(description=_("最近错误"))
    def short_error(self, obj) -> str:
        return Truncator(self.error_text(obj)).chars(self.error_chars)

    def error_text(self, obj) -> str:
        """The last error as this admin shows it (the SMS admin masks citizen links in it)."""
        return obj.last_error

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
