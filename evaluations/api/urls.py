"""JSON APIs for business systems (DESIGN §7), mounted under /api/ by config/urls.py.

- ``PUT /api/v1/records/{serial_no}``, ``POST /api/v1/records/bulk``, ``POST /api/v1/evaluations``;
- ``/api/openapi.json``: the OpenAPI schema; ``/api/docs``: the same, as a plain page (see docs.py).
"""

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import evaluations, records
from .auth import ApiKeyAuth
from .docs import PlainDocs
from .errors import JsonParser, install_error_handlers, json_fallbacks, not_found

DESCRIPTION = """供业务系统调用的好差评接口。

认证：每个业务系统一个接口密钥，请求头 Authorization: Bearer <密钥>；缺少、错误或已停用返回 401。
请求体为 JSON（Content-Type: application/json）。时间一律为带时区偏移的 ISO 8601，例如 \
2025-10-09T14:30:00+08:00；不带时区的时间会被拒绝。
出错时返回 4xx 和 {"errors": [{"field": "字段", "code": "错误代码", "message": "中文说明"}]}。"""


class Utf8JsonRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese messages readable as they are


api = NinjaAPI(
    title="好差评数据接口",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiKeyAuth(),
    parser=JsonParser(),
    renderer=Utf8JsonRenderer(),
    docs=PlainDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("v1/", records.router)
api.add_router("v1/", evaluations.router)


def _with_json_fallbacks(patterns: list[Any]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_fallbacks(pattern.callback)
    return patterns


_patterns, _app_name, namespace = api.urls
app_name = namespace
urlpatterns = [
    *_with_json_fallbacks(_patterns),
    re_path(r"^v1/", not_found, name="not-found"),
]
