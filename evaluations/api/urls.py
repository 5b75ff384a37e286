"""JSON APIs for business systems (records, evaluations); the OpenAPI schema is served at /api/docs."""

urlpatterns: list = []
