"""The bulk runner (evaluations/services/bulk_intake.py): one transaction, a savepoint per item (the
service's own atomic, as in the intake service), and a deadlock PostgreSQL detects rolls the whole
batch back and runs it again, leaving one copy of each row."""

import pytest
from django.db import OperationalError, transaction
from psycopg import errors as pg_errors

from evaluations.models import Region
from evaluations.refusals import Refusal
from evaluations.services.bulk_intake import ATTEMPTS, each_in_one_transaction

pytestmark = pytest.mark.django_db


def write(code: str, _prepared: object) -> str:
    """A service like evaluation_record: its writes and its refusal inside its own atomic block."""
    with transaction.atomic():
        if code.endswith("x"):
            Region.objects.create(code=code, name="refused after writing", level=1)
            raise Refusal("record_not_found")
        return Region.objects.create(code=code, name=code, level=1).code


def test_a_refused_item_rolls_back_to_its_savepoint_and_the_others_stay():
    answers = each_in_one_transaction(["100000000001", "10000000000x", "100000000002"], each=write)
    assert answers[0] == "100000000001" and answers[2] == "100000000002"
    assert isinstance(answers[1], Refusal)
    assert sorted(Region.objects.values_list("code", flat=True)) == ["100000000001", "100000000002"]


def test_a_deadlock_runs_the_batch_again_from_the_start():
    attempts = []

    def prepare(items) -> None:
        attempts.append(len(attempts) + 1)

    def each(code: str, prepared: None) -> str:
        written = write(code, prepared)
        if len(attempts) == 1 and code == "100000000002":  # the first attempt dies half-way
            raise OperationalError("deadlock detected") from pg_errors.DeadlockDetected()
        return written

    answers = each_in_one_transaction(["100000000001", "100000000002"], each=each, prepare=prepare)
    assert answers == ["100000000001", "100000000002"] and attempts == [1, 2]
    assert Region.objects.filter(code__in=answers).count() == 2


def test_a_deadlock_on_every_attempt_and_any_other_failure_propagate():
    def always(code: str, prepared: None) -> str:
        write(code, prepared)
        raise OperationalError("deadlock detected") from pg_errors.DeadlockDetected()

    with pytest.raises(OperationalError):
        each_in_one_transaction(["100000000001"], each=always)
    assert ATTEMPTS > 1 and not Region.objects.filter(code="100000000001").exists()

    def broken(code: str, prepared: None) -> str:
        write(code, prepared)
        raise OperationalError("connection lost")

    with pytest.raises(OperationalError, match="connection lost"):
        each_in_one_transaction(["100000000001", "100000000002"], each=broken)
    assert not Region.objects.filter(code__startswith="10000000000").exists()
