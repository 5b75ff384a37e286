"""The demo has a published questionnaire of 赣州市's office with answers, so `make run` shows results."""

import pytest
from django.core.management import call_command

from evaluations.demo_data import DEMO_PASSWORD
from questionnaires.demo import ANSWERS
from questionnaires.models import Questionnaire

pytestmark = pytest.mark.django_db


def test_the_demo_questionnaire_is_published_with_answers(client):
    call_command("seed_demo", months=0, verbosity=0)
    call_command("seed_demo", months=0, verbosity=0)  # safe to run twice
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.is_open and questionnaire.submissions.count() == ANSWERS
    assert client.get(f"/s/{questionnaire.token}/").status_code == 200
    assert client.login(username="office_city", password=DEMO_PASSWORD)
    results = client.get(f"/supervision/questionnaires/{questionnaire.pk}/results/")
    assert results.status_code == 200
    assert f"{ANSWERS}" in results.content.decode()
