"""Deployment checks of our own settings (run by ``manage.py check --deploy``)."""

import base64
import binascii

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from config.env import DEVELOPMENT_FIELD_KEY

KEY_RECIPE = 'python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'


@register(Tags.security, deploy=True)
def check_field_encryption_key(app_configs, **kwargs) -> list:
    key = settings.FIELD_ENCRYPTION_KEY
    try:
        valid = len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        valid = False
    if not valid:
        return [
            Error(
                "FIELD_ENCRYPTION_KEY is not a urlsafe base64 encoded 32-byte key.",
                hint=f"Generate one with: {KEY_RECIPE}",
                id="haochaping.E001",
            )
        ]
    if key == DEVELOPMENT_FIELD_KEY:
        return [
            Warning(
                "FIELD_ENCRYPTION_KEY is the development default: applicant identities and phones would be "
                "encrypted with a key that is public.",
                hint="Set FIELD_ENCRYPTION_KEY (see README) and keep a copy with the database backups.",
                id="haochaping.W001",
            )
        ]
    return []
