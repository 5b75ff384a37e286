"""JSON APIs for business systems (DESIGN §7), mounted under /api/ by config/urls.py.

- ``PUT /api/v1/records/{serial_no}``, ``POST /api/v1/records/bulk``;
- ``POST /api/v1/evaluations``, ``POST /api/v1/evaluations/bulk`` (up to 500 ratings, each answered alone);
- ``GET /api/v1/tags``: every evaluation tag (code, grade, target, text);
- ``GET /api/v1/rankings`` (added by reporting.rankings.api from ReportingConfig.ready());
- ``/api/openapi.json``: the OpenAPI schema; ``/api/docs``: the same, as a plain page (see docs.py).
"""

from .app import api
from .factory import api_urlpatterns

app_name = "api"
urlpatterns = api_urlpatterns(api, unknown=r"^v1/")
