"""When the evaluation window closes unrated, the policy decides: 未评 (Tianjin) or default 满意 (Ganzhou)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Evaluation, Policy, Preset
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.timeouts import timeouts_apply

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_tianjin_records_an_unevaluated_marker_apart_from_ratings(closed_case, regions):
    Policy.from_preset(Preset.TIANJIN, region=regions["city"]).save()
    assert timeouts_apply() == {"unevaluated": 1, "default": 0}
    marker = Evaluation.objects.get(record=closed_case)
    assert (marker.kind, marker.grade, marker.channel) == ("unevaluated", None, "default")
    assert marker.rated_at == closed_case.rating_deadline


def test_ganzhou_records_a_default_satisfied_rating(closed_case, regions):
    Policy.from_preset(Preset.GANZHOU, region=regions["province"]).save()  # inherited down the tree
    assert timeouts_apply() == {"unevaluated": 0, "default": 1}
    marker = Evaluation.objects.get(record=closed_case)
    assert (marker.kind, marker.grade) == ("default", 4)


def test_it_is_safe_to_run_twice(closed_case):
    timeouts_apply()
    assert timeouts_apply() == {"unevaluated": 0, "default": 0}
    assert Evaluation.objects.filter(record=closed_case).count() == 1


def test_rated_and_open_cases_are_left_alone(make_record):
    rated = make_record()
    evaluation_record(rating=Rating(target="matter", stage="completion", grade=5, channel="pc"), record=rated)
    make_record()  # completed yesterday: its window is still open
    make_record(status="accepted", completed_at=None)
    # Time travel: a day later nothing has closed yet; a month later the open ones close.
    assert timeouts_apply(now=timezone.now() + timedelta(days=1)) == {"unevaluated": 0, "default": 0}
    assert timeouts_apply(now=timezone.now() + timedelta(days=30)) == {"unevaluated": 1, "default": 0}
    assert Evaluation.objects.filter(record=rated).count() == 1
