"""Questionnaires in the admin: read-only (the office's pages build them; answers are never edited)."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations.admin.cases import ReadOnlyAdmin

from .models import Question, Questionnaire


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("position", "kind", "text", "required")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ("title", "purpose", "region", "state", "published_at", "closed_at", "answers")
    list_filter = ("state", "purpose")
    list_select_related = ("region",)
    search_fields = ("title",)
    exclude = ("token",)  # the link is shown on the office's page, not copied around from the admin
    inlines = [QuestionInline]

    @admin.display(description=_("答卷数"))
    def answers(self, obj: Questionnaire) -> int:
        return obj.submissions.count()
