"""Forms of the device pages and the device admin: registering a device, the clerk's "请评价", signing
in and out at a window."""

from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluations.models import ServiceRecord, Staff, Window

from .models import Device

# The device sends its serial in the X-Device-Id header (devices/auth.py): printable ASCII, no spaces.
serial_validator = RegexValidator(
    r"^[\x21-\x7e]{1,64}$", _("序列号只能包含英文字母、数字和符号（不含空格），最长 64 位。")
)
SERIAL_HELP = _("设备背面或开机画面上的序列号，设备用它签名每个请求。")


def _unused_serial(value: str) -> str:
    value = value.strip()
    if Device.objects.filter(serial=value).exists():
        raise forms.ValidationError(_("序列号为 %(serial)s 的设备已经登记过。"), params={"serial": value})
    return value


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Window) -> str:
        return f"{obj.code} · {obj.name}"


class DeviceRegisterForm(forms.Form):
    """The hall dashboard's form: a device at one of the hall's windows, or for the whole hall."""

    serial = forms.CharField(
        label=_("设备序列号"), max_length=64, validators=[serial_validator], help_text=SERIAL_HELP
    )
    kind = forms.ChoiceField(label=_("设备类型"), choices=Device.Kind.choices, initial=Device.Kind.EVALUATOR)
    window = WindowChoiceField(
        label=_("安装窗口"),
        queryset=Window.objects.none(),
        required=False,
        empty_label=_("不绑定窗口（大厅公用，如自助终端）"),
    )

    def __init__(self, *args: Any, windows: QuerySet[Window], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(WindowChoiceField, self.fields["window"]).queryset = windows  # declared above

    def clean_serial(self) -> str:
        return _unused_serial(self.cleaned_data["serial"])

    def clean(self) -> dict[str, Any]:
        super().clean()  # Form.clean returns cleaned_data itself
        data = self.cleaned_data
        if data.get("kind") in (Device.Kind.EVALUATOR, Device.Kind.PAD) and not data.get("window"):
            self.add_error("window", _("窗口评价器和评价平板须选择安装窗口。"))
        return data


class DeviceAdminForm(forms.ModelForm):
    """The admin's form: the hall follows from the window; a hall alone is for kiosks."""

    class Meta:
        model = Device
        fields = ("serial", "kind", "hall", "window")
        help_texts = {"serial": SERIAL_HELP, "hall": _("选择了窗口时可不填，按窗口所属大厅登记。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "serial" in self.fields:
            self.fields["serial"].validators.append(serial_validator)
        if "hall" in self.fields:
            self.fields["hall"].required = False

    def clean_serial(self) -> str:
        # The model's unique check runs too; this one says it in the words of the page.
        return _unused_serial(self.cleaned_data["serial"])

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm.clean returns cleaned_data itself
        data = self.cleaned_data
        window, hall = data.get("window"), data.get("hall")
        if window is None and hall is None and "hall" in self.fields:
            self.add_error("window", _("请选择安装窗口，或为大厅公用设备选择大厅。"))
        elif window is not None and hall is not None and window.hall_id != hall.pk:
            self.add_error("window", _("该窗口不属于所选大厅。"))
        elif window is not None:
            data["hall"] = window.hall
        return data


class PendingForm(forms.Form):
    """The clerk's "请评价": which of today's cases at the window the evaluator should show."""

    record = forms.ModelChoiceField(queryset=ServiceRecord.objects.none(), widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, records: QuerySet[ServiceRecord], follow_up: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["record"])  # declared above
        field.queryset = records
        field.error_messages["invalid_choice"] = (
            _("该办件不是本窗口今天办结、已评价且尚未追评的办件。")
            if follow_up
            else _("该办件不是本窗口今天办结（或今天受理的联办件）、尚未评价的办件。")
        )


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class DutyForm(forms.Form):
    """The window page's 签到 / 签退: the clerk signs themselves in or out; a manager may sign out
    anyone on duty at the window (someone who left without signing out)."""

    SIGN_IN, SIGN_OUT = "sign_in", "sign_out"

    action = forms.ChoiceField(choices=[(SIGN_IN, _("签到")), (SIGN_OUT, _("签退"))])
    staff = forms.ModelChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("该工作人员目前没有在本窗口签到。")},
    )

    def __init__(self, *args: Any, on_duty: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = on_duty
