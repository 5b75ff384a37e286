"""django-import-export widgets that read what a clerk types in Excel and explain mistakes in Chinese."""

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from import_export import widgets

from .scope import visible_to


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns 360700000000 into a float
    return str(value).strip()


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's value or its Chinese label; exports the label."""

    def __init__(self, choices: list[tuple[Any, Any]], **kwargs: Any) -> None:
        self.by_label = {str(label): key for key, label in choices}
        self.by_value = {str(key): key for key, _label in choices}
        self.labels = {key: str(label) for key, label in choices}
        super().__init__(**kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = _text(value)
        if text in self.by_label:
            return self.by_label[text]
        if text in self.by_value:
            return self.by_value[text]
        raise ValueError(
            _("“%(value)s”不是有效取值，可选：%(options)s")
            % {"value": text, "options": "、".join(self.by_label)}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.labels.get(value, "" if value is None else str(value))


class YesNoWidget(widgets.Widget):
    """是/否 (also 1/0, true/false); anything else is an error, never a silent "no"."""

    TRUE = {"是", "1", "true", "y", "yes"}
    FALSE = {"否", "0", "false", "n", "no"}

    def __init__(self, default: bool, **kwargs: Any) -> None:
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = _text(value).lower()
        if text == "":
            return self.default
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s”应填写“是”或“否”。") % {"value": text})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return _("是") if value else _("否")


class CodeWidget(widgets.CharWidget):
    """A code column: integers that Excel made floats come back as the digits typed."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return _text(value)


class ScopedCodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by its code, only among rows the importing user may see."""

    def __init__(self, model: type[Model], label: str, field: str = "code", **kwargs: Any) -> None:
        self.label = label
        self.user = None  # set by the resource before the import starts
        super().__init__(model, field=field, **kwargs)

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> QuerySet:
        queryset = self.model.objects.all()
        return visible_to(self.user, queryset) if self.user is not None else queryset

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Model | None:
        text = _text(value)
        if not text:
            return None
        try:
            return self.get_queryset(text, row).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(
                _("找不到编码为“%(code)s”的%(what)s，或您无权使用。") % {"code": text, "what": self.label}
            ) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, self.field))


class ScopedCodeManyToManyWidget(widgets.ManyToManyWidget):
    """Codes separated by commas (，or ,); every code must exist and be visible to the user."""

    def __init__(self, model: type[Model], label: str, field: str = "code", **kwargs: Any) -> None:
        self.label = label
        self.user = None
        super().__init__(model, separator=",", field=field, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> QuerySet:
        codes = [code.strip() for code in _text(value).replace("，", ",").split(",") if code.strip()]
        queryset = self.model.objects.filter(**{f"{self.field}__in": codes})
        if self.user is not None:
            queryset = visible_to(self.user, queryset)
        found = set(queryset.values_list(self.field, flat=True))
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValueError(
                _("找不到编码为“%(codes)s”的%(what)s，或您无权使用。")
                % {"codes": "、".join(missing), "what": self.label}
            )
        return queryset
