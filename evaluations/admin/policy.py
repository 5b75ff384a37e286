"""A region's rules in the admin: choosing a preset applies every rule of it (DESIGN §5).

The form shows which rules differ from the preset (the overrides), next to each field and in one
summary, and lets the office put chosen ones back ("恢复为预设"). Switching the preset takes all of
the new preset's rules except those typed into the same form, and, when asked, the overrides the
region already had. ``manage.py policy set`` does the same from the command line.
"""

from typing import cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import PRESETS, RULE_FIELDS, Policy
from .base import ScopedModelAdmin

LOCAL_FIELDS = ("quiet_start", "quiet_end", "urgent_notices", "flag_hold_days", "late_upload_days")


def _field(name: str) -> models.Field:
    return cast(models.Field, Policy._meta.get_field(name))


def _shown(name: str, value: object) -> str:
    """A rule's value as the form shows it: the choice label, 是/否, or 不限 for an empty limit."""
    if value is None:
        return str(_("不限"))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(dict(_field(name).flatchoices).get(value, value))


class PolicyForm(forms.ModelForm):
    keep_overrides = forms.BooleanField(
        label=_("更换依据时保留已覆盖的规则"),
        required=False,
        help_text=_("不勾选：更换依据后全部规则按新依据设置（本次在表单里改动的项除外）。"),
    )
    restore = forms.MultipleChoiceField(
        label=_("恢复为预设"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选的规则保存时改回所依据预设的数值。"),
    )

    class Meta:
        model = Policy
        fields = ("region", "preset", *RULE_FIELDS, *LOCAL_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        policy = self.instance
        overridden = policy.overrides() if policy.pk else []
        rules = PRESETS[policy.preset]
        restore = cast(forms.MultipleChoiceField, self.fields["restore"])
        restore.choices = [(name, _field(name).verbose_name) for name in overridden]
        for name in overridden:
            field = self.fields[name]
            preset_value = _shown(name, rules[name])
            note = _("⚠ 与预设不同（预设：%(value)s）") % {"value": preset_value}
            field.help_text = format_html('<strong class="override">{}</strong> {}', note, field.help_text)


@admin.register(Policy)
class PolicyAdmin(ScopedModelAdmin):
    form = PolicyForm
    list_display = (
        "region",
        "preset",
        "window_days",
        "on_timeout",
        "appeal_days",
        "invalid_outcome",
        "overridden",
    )
    list_filter = ("preset",)
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    readonly_fields = ("overrides_summary",)

    def get_fieldsets(self, request: HttpRequest, obj: Policy | None = None):
        head = ["region", "preset", "keep_overrides"] + (["overrides_summary", "restore"] if obj else [])
        return [
            (None, {"fields": head}),
            (_("制度规则（随依据设置）"), {"fields": RULE_FIELDS}),
            (_("本地设置（不随依据变化）"), {"fields": LOCAL_FIELDS}),
        ]

    @admin.display(description=_("覆盖项"))
    def overridden(self, obj: Policy) -> int:
        return len(obj.overrides())

    @admin.display(description=_("与预设不同的规则"))
    def overrides_summary(self, obj: Policy) -> str:
        rules = PRESETS[obj.preset]
        rows = [
            (
                _field(name).verbose_name,
                _shown(name, getattr(obj, name)),
                _shown(name, rules[name]),
            )
            for name in obj.overrides()
        ]
        if not rows:
            return str(_("无：全部规则与预设一致。"))
        return format_html_join("", "<div>{}：{}（预设 {}）</div>", rows)

    def save_model(self, request: HttpRequest, obj: Policy, form: forms.ModelForm, change: bool) -> None:
        old = Policy.objects.filter(pk=obj.pk).first() if change else None
        if old is None or old.preset != obj.preset:
            keep = {name for name in form.changed_data if name in RULE_FIELDS and name != "preset"}
            if old is not None and form.cleaned_data.get("keep_overrides"):
                keep |= set(old.overrides())
            obj.apply_preset(obj.preset, keep=keep)
        obj.restore_rules(form.cleaned_data.get("restore") or ())
        super().save_model(request, obj, form, change)
