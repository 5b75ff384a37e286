"""The benchmark's floor: what one rating costs the framework alone (issue 19 point 1, DESIGN §10).

``POST /bench/floor/evaluations`` goes through everything ``POST /api/v1/evaluations`` does before
the intake service — gunicorn, the same middleware, ninja's parser and error handlers, the Bearer key
check, the same ``EvaluationIn`` schema — then writes one ``evaluations_evaluation`` row of the shape
pgbench inserts (no case, the department and region of ``settings.BENCH_FLOOR_ROW``) with one INSERT
in autocommit, which commits it. No rule, no lock, no case, no idempotency key, no outbox.

It exists only in the benchmark's server: ``bench_intake`` starts gunicorn with
``DJANGO_SETTINGS_MODULE=bench.floor_settings``, whose ROOT_URLCONF is this module (the product's
URLs plus the floor). ``config.urls`` never includes it, so the normal app answers 404.
"""

from django.conf import settings
from django.urls import include, path
from django.utils import timezone
from ninja import Status

from config.urls import urlpatterns as product_urls
from evaluations.api.auth import ApiKeyAuth, KeyRequest
from evaluations.api.factory import api_urlpatterns, json_api
from evaluations.api.schemas import EvaluationIn, EvaluationOut
from evaluations.models import Evaluation, EvaluationKind

PATH = "/bench/floor/evaluations"

api = json_api(title="bench floor", description="", namespace="bench-floor", auth=ApiKeyAuth())


@api.post("/evaluations", response={201: EvaluationOut})
def floor_post(request: KeyRequest, payload: EvaluationIn):
    rating = payload.to_rating()
    row = getattr(settings, "BENCH_FLOOR_ROW")  # noqa: B009 a setting of bench.floor_settings only
    evaluation = Evaluation.objects.create(
        target=rating.target,
        stage=rating.stage,
        grade=rating.grade,
        tags=rating.tags,
        comment=rating.comment,
        channel=rating.channel,
        kind=EvaluationKind.ACTIVE,
        assess_number=rating.assess_number,
        client_id=rating.client_id,
        rated_at=rating.rated_at or timezone.now(),
        department_id=row["department_id"],
        region_id=row["region_id"],
    )
    return Status(201, {"id": evaluation.pk, "work_order": None})


urlpatterns = [path("bench/floor/", include(api_urlpatterns(api))), *product_urls]
