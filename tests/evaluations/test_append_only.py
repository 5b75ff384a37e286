"""Ratings are append-only in the database itself (DESIGN §9; Qingdao art. 16): the app role has no
privilege to change rated fields or delete (config/database_roles.py), and behind it a trigger refuses
the same to the owner."""

from contextlib import nullcontext

import pytest
from django.db import DatabaseError, connection, transaction

from evaluations.models import Evaluation, RulingSource
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.rulings import ruling_record

from ..db_roles import as_owner

# Who tries, and what stops them: the app role's missing privilege, or the owner's trigger.
WHO = pytest.mark.parametrize(
    ("who", "refusal"), [(nullcontext, "permission denied"), (as_owner, "append-only")], ids=["app", "owner"]
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(make_record) -> Evaluation:
    rating = Rating(target="matter", stage="completion", grade=2, channel="pc", comment="等了两个小时")
    return evaluation_record(rating=rating, record=make_record()).evaluation


def run_sql(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evaluations_evaluation SET grade = 5 WHERE id = %s",
        "UPDATE evaluations_evaluation SET comment = '' WHERE id = %s",
        "UPDATE evaluations_evaluation SET tags = '{M2-01}' WHERE id = %s",
        "UPDATE evaluations_evaluation SET rated_at = now() WHERE id = %s",
        "DELETE FROM evaluations_evaluation WHERE id = %s",
    ],
)
@WHO
def test_design_s9_sql_cannot_change_or_delete_a_rating(evaluation, sql, who, refusal):
    with pytest.raises(DatabaseError, match=refusal), who():
        run_sql(sql, [evaluation.pk])
    evaluation.refresh_from_db()
    assert (evaluation.grade, evaluation.comment) == (2, "等了两个小时")


@WHO
def test_design_s9_the_orm_cannot_resave_a_rating(evaluation, who, refusal):
    evaluation.grade = 5
    with pytest.raises(DatabaseError, match=refusal), who(), transaction.atomic():
        evaluation.save()
    evaluation.refresh_from_db()
    assert evaluation.grade == 2


def test_qingdao_art16_a_later_decision_is_a_ruling_the_database_copies_beside_the_rating(evaluation, owner):
    ruling_record(
        evaluation=evaluation,
        outcome="not_adopted",
        reason="经核实属误评",
        source=RulingSource.APPEAL,
        by=owner,
    )
    evaluation.refresh_from_db()
    assert (evaluation.validity, evaluation.validity_reason, evaluation.grade) == (
        "not_adopted",
        "经核实属误评",
        2,
    )
    assert evaluation.validity_changed_at == evaluation.rulings.get().decided_at


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evaluations_evaluation SET validity = 'not_adopted' WHERE id = %s",
        "UPDATE evaluations_evaluation SET validity_reason = '改' WHERE id = %s",
        "UPDATE evaluations_evaluation SET validity_changed_at = now() WHERE id = %s",
    ],
)
def test_qingdao_art16_the_application_cannot_set_a_ratings_validity_itself(evaluation, sql):
    with pytest.raises(DatabaseError, match="set by a ruling"):
        run_sql(sql, [evaluation.pk])
    evaluation.refresh_from_db()
    assert (evaluation.validity, evaluation.validity_reason) == ("valid", "")
