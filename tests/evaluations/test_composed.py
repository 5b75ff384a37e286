"""Statements composed once per process (services.composed, services.locked_case; issue 19): the locked
read gives the instances the queryset would give, in one statement of the same text each time; the
composed INSERT writes the row bulk_create would write."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devices.models import PendingRating
from evaluations.models import ServiceRecord
from evaluations.refusals import Refusal
from evaluations.services.composed import Composed
from evaluations.services.locked_case import NOT_READ, locked_case

pytestmark = pytest.mark.django_db
RELATIONS = ("matter", "region", "department", "window", "staff")


def orm_read(pk: int) -> ServiceRecord:
    return ServiceRecord.objects.select_related(*RELATIONS).get(pk=pk)


def test_the_composed_read_gives_the_case_as_the_orm_does(make_record, org):
    other = org["zhanggong"]["department"]
    record = make_record(joint_department_codes=[other.code])
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = locked_case(serial_no=record.serial_no)
        expected = orm_read(record.pk)
        assert found.get_deferred_fields() == set(NOT_READ)  # encrypted and not read: not decrypted
        for field in ServiceRecord._meta.concrete_fields:
            if field.attname not in NOT_READ:
                assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
        for name in RELATIONS:
            assert name in found._state.fields_cache, name
            assert getattr(found, name) == getattr(expected, name)
        counted = len(queries)
        assert found.has_applicant_phone is True  # type: ignore[attr-defined]  # real name, undecrypted
        assert found.applicant_phone == "13812345678"  # a deferred field loads (and decrypts) on reading
        assert found.applicant_name == "王小明"  # a deferred field loads on reading
        assert found.is_joint_case is True  # type: ignore[attr-defined]
        waiting = PendingRating.objects.filter(record=record).exists()  # offered on the window's device
        assert getattr(found, "has_pending_rating") is waiting is True  # noqa: B009 a CASE_FACTS annotation
        assert found.matter.department_id == expected.matter.department_id
    assert counted == 2  # the composed read and the ORM's own: the relations came with the case
    assert "FOR UPDATE" in queries[0]["sql"]


def test_a_case_without_window_or_staff_has_none_without_a_query(make_record):
    record = make_record(channel="online", window_code="", staff_no="")
    with transaction.atomic():
        found = locked_case(pk=record.pk)
        with CaptureQueriesContext(connection) as queries:
            assert found.window is None and found.staff is None
            assert found.is_joint_case is False  # type: ignore[attr-defined]
    assert len(queries) == 0


def test_every_read_is_the_same_statement_with_another_value(make_record):
    first, second = make_record(), make_record()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert locked_case(serial_no=first.serial_no).pk == first.pk
        assert locked_case(serial_no=second.serial_no).pk == second.pk
    texts = {query["sql"].replace(first.serial_no, "?").replace(second.serial_no, "?") for query in queries}
    assert len(queries) == 2 and len(texts) == 1


def test_a_case_not_found_or_outside_the_scope_is_record_not_found(make_record, regions):
    record = make_record()  # a 章贡区 case
    with transaction.atomic():
        with pytest.raises(Refusal) as missing:
            locked_case(serial_no="SN-NOWHERE")
        with pytest.raises(Refusal) as outside:
            locked_case(serial_no=record.serial_no, scope=regions["nankang"])
        assert locked_case(serial_no=record.serial_no, scope=record.region).pk == record.pk
    assert missing.value.code == outside.value.code == "record_not_found"


def test_a_queryset_without_the_value_as_a_parameter_is_refused():
    composed = Composed(lambda value: ServiceRecord.objects.filter(serial_no="fixed"), "\ue000x")
    with transaction.atomic(), pytest.raises(ImproperlyConfigured):
        composed.first("SN-1")


def test_a_composed_insert_writes_the_row_bulk_create_would(make_record):
    from django.db.models import Value

    from evaluations.models import ClientKey, Evaluation
    from evaluations.services.composed import insert_rows
    from evaluations.services.intake import Rating, evaluation_record

    def rated():
        record = make_record(channel="online", window_code="", staff_no="")
        rating = Rating(target="matter", stage="completion", grade=5, channel="pc")
        return evaluation_record(rating=rating, record=record).evaluation

    def key(client_id: str, evaluation) -> ClientKey:
        return ClientKey(sender_kind="system", sender_id=0, client_id=client_id, evaluation=evaluation)

    composed = insert_rows([key("c-1", rated())])[0]
    by_orm = ClientKey.objects.bulk_create([key("c-2", rated())])[0]
    assert composed.pk is not None and not composed._state.adding and composed._state.db == "default"
    stored, expected = ClientKey.objects.get(pk=composed.pk), ClientKey.objects.get(pk=by_orm.pk)
    for field in ClientKey._meta.concrete_fields:
        if field.name not in ("id", "client_id", "created_at", "evaluation"):
            assert getattr(stored, field.attname) == getattr(expected, field.attname), field.name
    assert stored.evaluation_id == composed.evaluation.pk
    assert stored.created_at is not None  # auto_now_add, set by pre_save as Django's compiler does

    unsaved = Evaluation(record=make_record(), target="matter", stage="completion", grade=5, channel="pc")
    with pytest.raises(ValueError, match="unsaved related object"):  # refused, as bulk_create refuses it
        insert_rows([key("c-3", unsaved)])
    row = key("c-4", rated())
    row.body_digest = Value("d")
    # (an expression: written through bulk_create itself)
    assert ClientKey.objects.get(pk=insert_rows([row])[0].pk).body_digest == "d"
