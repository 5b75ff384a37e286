"""National indicator codes (国家评价指标) per tag and profile: the admin list, the Excel / CSV import
(columns 标签编码, 对接规范, 国家评价指标编码; a file goes in whole or not at all), and which active tags
have no code for the profile in use (listed on the upstream page: they are left out of evalDetail by
the provincial profiles, sent as our own code by the generic one)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin

from evaluations.models import Tag

from ..models import TagIndicator


def tags_without_indicator(profile: str) -> QuerySet[Tag]:
    coded = TagIndicator.objects.filter(tag=OuterRef("pk"), profile=profile)
    return Tag.objects.filter(active=True).exclude(Exists(coded)).order_by("code")


class TagIndicatorResource(resources.ModelResource):
    tag = fields.Field(
        attribute="tag", column_name="标签编码", widget=widgets.ForeignKeyWidget(Tag, field="code")
    )
    profile = fields.Field(attribute="profile", column_name="对接规范")
    code = fields.Field(attribute="code", column_name="国家评价指标编码")

    class Meta:
        model = TagIndicator
        fields = ("tag", "profile", "code")
        import_id_fields = ("tag", "profile")
        clean_model_instances = True  # full_clean: a profile that does not exist is a row error

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():  # whole or nothing, as the master-data imports
            result = super().import_data(dataset, *args, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result


@admin.register(TagIndicator)
class TagIndicatorAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [TagIndicatorResource]
    list_display = ("tag", "tag_text", "profile", "code")
    list_filter = ("profile",)
    search_fields = ("tag__code", "tag__text", "code")
    list_select_related = ("tag",)
    autocomplete_fields = ("tag",)

    @admin.display(description=gettext_lazy("评价内容"))
    def tag_text(self, obj: TagIndicator) -> str:
        return obj.tag.text
