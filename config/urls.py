from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from evaluations.views import home as evaluation_views
from evaluations.views.care import care_switch
from workorders.views import revisit as revisit_views

from .health import healthz

admin.site.site_header = _("好差评管理后台")
admin.site.site_title = _("好差评")
admin.site.index_title = _("基础数据与系统管理")

urlpatterns = [
    path("", evaluation_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("care/", care_switch, name="care"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/devices/v1/", include("devices.api.urls")),
    path("api/", include("evaluations.api.urls")),
    path("r/revisit/<str:token>/", revisit_views.revisit, name="revisit"),
    path("r/", include("evaluations.urls.citizen")),
    path("desk/", include("evaluations.urls.desk")),
    path("reviews/", include("evaluations.urls.flags")),
    path("orders/", include("workorders.urls")),
    path("devices/", include("devices.urls")),
    path("reports/", include("reporting.urls")),
    path("public/", include("reporting.public.urls")),
    path("supervision/questionnaires/", include("questionnaires.urls")),
    path("supervision/", include("supervision.urls")),
    path("s/", include("questionnaires.public_urls")),
]
