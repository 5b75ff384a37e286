"""django-axes under a Chinese name in the admin (its own AppConfig is named "Axes"); the model and
column names come from locale/zh_Hans (axes ships no Chinese catalogue)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("登录保护")
