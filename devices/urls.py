"""Device pages under /devices/ (the signed device API lives under /api/devices/v1/)."""

from django.urls import path, register_converter

from .views import dashboard, evaluator, qr, window


class ImageFormat:
    regex = "svg|png"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ImageFormat, "qrfmt")

app_name = "devices"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("hall/<str:hall_code>/register/", dashboard.register, name="register"),
    path("d/<int:pk>/rotate/", dashboard.rotate, name="rotate"),
    path("d/<int:pk>/active/", dashboard.set_active, name="set_active"),
    path("window/<str:code>/", window.window_page, name="window"),
    path("window/<str:code>/rate/", window.ask_rating, name="ask_rating"),
    path("window/<str:code>/duty/", window.duty, name="duty"),
    path("evaluator/", evaluator.evaluator, name="evaluator"),
    path("qr/window/<str:code>.<qrfmt:fmt>", qr.window_code, name="window_qr"),
    path("qr/hall/<str:code>/print/", qr.hall_sheet, name="hall_sheet"),
    path("qr/case/<str:serial_no>.<qrfmt:fmt>", qr.case_code, name="case_qr"),
]
