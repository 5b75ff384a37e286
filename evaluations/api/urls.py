"""JSON APIs for business systems (DESIGN §7), mounted under /api/ by config/urls.py.

- ``PUT /api/v1/records/{serial_no}``, ``POST /api/v1/records/bulk``, ``POST /api/v1/evaluations``;
- ``GET /api/v1/rankings`` (added by reporting.api from ReportingConfig.ready());
- ``/api/openapi.json``: the OpenAPI schema; ``/api/docs``: the same, as a plain page (see docs.py).
"""

from typing import Any

from django.urls import URLPattern, URLResolver, re_path

from .app import api
from .errors import json_fallbacks, not_found


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
