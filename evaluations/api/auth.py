"""Who is calling: ``Authorization: Bearer <api key>``, one key per business system (DESIGN §7).

A key may be limited to a region (``ApiKey.region``): it then reads and writes only cases of that
region's subtree. A case outside it is reported as unknown to the evaluations API (it is not the
key's to see) and as out of scope to the records API (which must not let one system overwrite
another's case).

CSRF: every django-ninja view is exempt from Django's CSRF middleware and ``HttpBearer`` does not
ask for a token, which is right here: a browser never sends this header on its own.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ..models import ApiKey, Region, ServiceRecord
from .errors import ApiError


class KeyRequest(HttpRequest):
    """For annotations: the request of an operation ``ApiKeyAuth`` let through; ninja sets ``auth``."""

    auth: ApiKey


class ApiKeyAuth(HttpBearer):
    """A missing, unknown or revoked key is a 401 (rendered by errors.install_error_handlers)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        if not token:
            return None
        return ApiKey.authenticate(token)


def records_of(key: ApiKey) -> QuerySet[ServiceRecord]:
    """The cases ``key`` may see."""
    records = ServiceRecord.objects.all()
    if key.region is not None:
        records = records.filter(region__path__startswith=key.region.path)
    return records


def check_record_scope(key: ApiKey, *, serial_no: str, region_code: str) -> None:
    """Refuse a push of a case outside the key's region, or over a case of another region."""
    region = key.region
    if region is None:
        return
    path = region.path
    outside = (
        Region.objects.filter(code=region_code).exclude(path__startswith=path).exists()
        or ServiceRecord.objects.filter(serial_no=serial_no).exclude(region__path__startswith=path).exists()
    )
    if outside:
        message = _("该接口密钥只能提交%(region)s及下级区划的办件。") % {"region": region.name}
        raise ApiError(403, "out_of_scope", message, field="region_code")
