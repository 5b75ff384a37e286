"""The intake's locked read: the case, locked until the transaction ends, with everything the rules
and the receivers of evaluation_recorded read of it, in one statement composed once per process.

What comes with the case: its matter, region, department, window and staff; whether it is a joint
case (``is_joint_case``) and whether its applicant left a phone (``has_applicant_phone``: real name,
51号, without decrypting the number); and the facts other apps register in ``CASE_FACTS``
(annotation name -> a function giving an expression over ServiceRecord, OuterRef("pk") being the
case), so that a receiver needs no query of its own. The rated rows' ``record`` carries the
annotations; other rows (a batch's siblings, timeout markers) do not.

The same statement reserves the id of the rating about to be written (``rating_id``), so that its
INSERT needs no RETURNING and goes with the rating's other rows as one statement (services.together).
A rating refused after the read leaves a gap in the ids, as a rolled-back one always has. It also
says whether the case has an active rating already (``rated_before``): only then can a client_id be
a retry, and the intake looks its key up first instead of letting the INSERT fail.
"""

from collections.abc import Callable

from django.db.models import BigIntegerField, BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.expressions import BaseExpression, RawSQL

from ..models import Evaluation, EvaluationKind, Region, ServiceRecord
from ..refusals import Refusal
from .composed import Composed

CASE_FACTS: dict[str, Callable[[], BaseExpression]] = {}
# The sentinels the two reads are composed for: a case is found by its id or by its serial number.
_SENTINELS = {"pk": -7_300_419, "serial_no": "\ue000serial\ue000"}
# Encrypted and not read by the rules, the receivers or the payloads (of the phone, only whether there
# is one: has_applicant_phone): not decrypted for every rating; reading one on the instance loads it.
NOT_READ = ("applicant_name", "applicant_id_number", "applicant_phone")
_composed: dict[tuple[str, tuple[str, ...]], Composed[ServiceRecord]] = {}


def locked_case(
    *, pk: int | None = None, serial_no: str | None = None, scope: Region | None = None
) -> ServiceRecord:
    """The case ``pk`` or ``serial_no``, locked, or Refusal record_not_found. ``scope``: only a case of
    that region or below it is found (an API key's region)."""
    lookup, value = ("pk", pk) if pk is not None else ("serial_no", serial_no)
    record = _read(lookup).first(value)
    if record is None or (scope is not None and not record.region.path.startswith(scope.path)):
        raise Refusal("record_not_found", field="serial_no")
    return record


def case_reads(facts: dict[str, Callable[[], BaseExpression]]) -> QuerySet[ServiceRecord]:
    """Cases as the intake reads them: locked, with their relations, is_joint_case and ``facts``."""
    joint = ServiceRecord.joint_departments.through.objects.filter(servicerecord_id=OuterRef("pk"))
    return (
        ServiceRecord.objects.order_by()  # the reads find one row by a unique key or order by pk
        .select_for_update(of=("self",))
        .select_related("matter", "region", "department", "window", "staff")
        .defer(*NOT_READ)
        .annotate(
            is_joint_case=Exists(joint),
            # An encrypted "" stays "" (crypto.EncryptedTextField): any other value is a number.
            has_applicant_phone=ExpressionWrapper(Q(applicant_phone__gt=""), output_field=BooleanField()),
            **{name: fact() for name, fact in facts.items()},
        )
    )


def has_applicant_phone(record: ServiceRecord) -> bool:
    """Whether the case's applicant left a phone: the locked read's annotation, which spares decrypting
    the number, else (a case read otherwise) the number itself."""
    known = record.__dict__.get("has_applicant_phone")
    return bool(record.applicant_phone) if known is None else bool(known)


def rated_before(record: ServiceRecord) -> bool:
    """Whether the locked read found an active rating of the case (False for a case not read by it)."""
    return bool(record.__dict__.get("has_active_rating", False))


def rating_id(record: ServiceRecord) -> int | None:
    """The id reserved for the rating of ``record`` by its locked read, once (None: none reserved)."""
    return record.__dict__.pop("reserved_rating_id", None)


def _reserved_rating_id() -> RawSQL:
    opts = Evaluation._meta
    sequence = f"pg_get_serial_sequence('{opts.db_table}', '{opts.pk.column}')"  # the model's own names
    return RawSQL(f"nextval({sequence})", (), output_field=BigIntegerField())


def _read(lookup: str) -> Composed[ServiceRecord]:
    key = (lookup, tuple(CASE_FACTS))
    read = _composed.get(key)
    if read is None:
        active = Evaluation.objects.filter(record_id=OuterRef("pk"), kind=EvaluationKind.ACTIVE)
        reserve = {"reserved_rating_id": _reserved_rating_id(), "has_active_rating": Exists(active)}
        build = lambda value: case_reads(CASE_FACTS).filter(**{lookup: value}).annotate(**reserve)  # noqa: E731
        read = _composed[key] = Composed(build, _SENTINELS[lookup])
    return read
