"""Many ratings of one sender judged one by one and written together: the bulk call's path (issue 19).

Every item is judged by the single call's own rules (``intake.rating_rows``) against its case. What
differs is the reading and the writing around them:

- one statement reads and locks every case of the batch with its relations (in primary-key order, so
  overlapping batches wait for each other instead of deadlocking), one reads the sender's client keys
  for the batch's client ids, one the ratings the cases already have;
- the rows of the items accepted go in one INSERT, their client keys in one and their outbox messages
  in one (``evaluations_recorded``), and the bad ratings' work orders with their numbers and first
  events in one each (``bad_evaluations_recorded``), instead of a savepoint and five statements an item.

Each item is answered as the single call would answer it alone, in order:

- a case not found, or outside the key's region: ``record_not_found``;
- a client_id the sender used before (stored, or earlier in this batch): the first answer when the
  body is the same, else ``client_id_reused``, whatever the rules say now;
- a refusal of the rules: that refusal;
- a case that already has this rating: ``already_rated`` (``follow_up_exists`` for a 追评).

An item this path does not judge by itself goes through the single call (``intake.evaluation_record``
in its own savepoint) after the rows gathered so far are written, so it sees them as consecutive
single calls would: a rating of a case rated earlier in the batch (a 追评 after its first rating, a
duplicate under another client_id), and a rating that writes more than one row (a batch's or a
theme's cases, a clerk rated with the matter). If a write fails on a constraint (a concurrent call
took one of the client ids), its items go through the single call one by one.

The caller holds the transaction (services.bulk_intake.in_one_transaction).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import BAD_GRADES, ClientKey, Evaluation, Region, ServiceRecord
from ..refusals import Refusal
from ..signals import bad_evaluations_recorded, evaluations_recorded
from .client_keys import Sender, body_digest, rating_body
from .intake import IntakeResult, Rating, evaluation_record, rating_rows, replay_of
from .locked_case import CASE_FACTS, case_reads
from .prepared import server_binding


@dataclass
class SetItem:
    serial_no: str
    rating: Rating


@dataclass
class _Gathered:
    index: int
    item: SetItem
    row: Evaluation
    digest: str


class _Batch:
    def __init__(self, items: Sequence[SetItem | Exception], sender: Sender, scope: Region | None) -> None:
        self.items, self.sender, self.scope = items, sender, scope
        self.answers: list[IntakeResult | Exception | None] = [None] * len(items)
        self.gathered: list[_Gathered] = []
        self.touched: set[int] = set()  # cases rated in this batch
        self.used: dict[str, tuple[str, int]] = {}  # client_id -> (digest, index of its first answer)
        self.replays: list[tuple[int, int, str]] = []  # (index, the first answer's index, digest)

    def run(self) -> list[IntakeResult | Exception]:
        wanted = [item for item in self.items if isinstance(item, SetItem)]
        self.cases = _locked_cases({item.serial_no for item in wanted}, self.scope)
        client_ids = {item.rating.client_id for item in wanted if item.rating.client_id}
        self.keys = {
            key.client_id: key
            for key in ClientKey.objects.select_related(*_key_relations()).filter(
                sender_kind=self.sender.kind, sender_id=self.sender.id, client_id__in=client_ids
            )
        }
        self.rated = set(
            Evaluation.objects.filter(record__in=[case.pk for case in self.cases.values()]).values_list(
                "record_id", "target", "stage", "assess_number"
            )
        )
        now = timezone.now()
        for index, item in enumerate(self.items):
            if isinstance(item, Exception):
                self.answers[index] = item
            else:
                self._judge(index, item, now)
        self._flush()
        self._answer_replays()
        answered = [answer for answer in self.answers if answer is not None]
        assert len(answered) == len(self.items)  # every item is answered above
        return answered

    def _judge(self, index: int, item: SetItem, now) -> None:
        record, rating = self.cases.get(item.serial_no), item.rating
        if record is None:
            self.answers[index] = Refusal("record_not_found", field="serial_no")
            return
        client_id = rating.client_id
        digest = body_digest(rating_body(rating, record=record, window=None, staff=None, matter=None))
        if client_id and (client_id in self.used or client_id in self.keys):
            self._replay(index, client_id, digest)
            return
        if record.pk in self.touched:
            self._single(index, item, digest)
            return
        try:
            rows = rating_rows(rating, record=record, window=None, staff=None, matter=None, by=None, now=now)
        except Refusal as refusal:
            self.answers[index] = refusal
            return
        if len(rows) != 1:
            self._single(index, item, digest)
            return
        row = rows[0]
        if (record.pk, row.target, row.stage, row.assess_number) in self.rated:
            code = "follow_up_exists" if rating.assess_number == 2 else "already_rated"
            self.answers[index] = Refusal(code)
            return
        self.gathered.append(_Gathered(index, item, row, digest))
        self.touched.add(record.pk)
        if client_id:
            self.used[client_id] = (digest, index)

    def _replay(self, index: int, client_id: str, digest: str) -> None:
        """A client_id used before: the first answer, once it is final (its rows written), or reused."""
        if client_id in self.used:
            first_digest, first = self.used[client_id]
            if first_digest != digest:
                self.answers[index] = Refusal("client_id_reused", field="client_id")
            else:
                self.replays.append((index, first, digest))  # answered once the first item's rows are written
                self._answer_replays()
            return
        try:
            self.answers[index] = replay_of(self.keys[client_id], digest)
        except Refusal as refusal:
            self.answers[index] = refusal

    def _answer_replays(self) -> None:
        waiting, self.replays = self.replays, []
        for index, first, digest in waiting:
            answer = self.answers[first]
            if answer is None:
                self.replays.append((index, first, digest))  # the first item is still gathered
            elif isinstance(answer, IntakeResult) and answer.created:
                self.answers[index] = IntakeResult(
                    evaluation=answer.evaluation, created=False, work_order=answer.work_order
                )
            else:  # the first item was answered otherwise after all (see _flush): this one afresh
                item = self.items[index]
                assert isinstance(item, SetItem)
                self._single(index, item, digest)

    def _single(self, index: int, item: SetItem, digest: str) -> None:
        """The single call for this item, after the rows gathered so far are written."""
        self._flush()
        record = self.cases[item.serial_no]
        try:
            result = evaluation_record(rating=item.rating, record=record, sender=self.sender)
        except Refusal as refusal:
            self.answers[index] = refusal
            return
        self.answers[index] = result
        self.touched.update(row.record_id for row in result.rows if row.record_id)
        if item.rating.client_id and result.created:
            self.used[item.rating.client_id] = (digest, index)

    def _flush(self) -> None:
        gathered, self.gathered = self.gathered, []
        if not gathered:
            return
        try:
            with transaction.atomic():  # a savepoint: a failed write leaves nothing of the set
                results = _write(gathered, self.sender)
        except IntegrityError:
            for entry in gathered:  # one by one, each with the single call's answer
                self.used.pop(entry.item.rating.client_id or "", None)
                self.touched.discard(entry.row.record_id)
                self._single(entry.index, entry.item, entry.digest)
            self._answer_replays()
            return
        for entry, result in zip(gathered, results, strict=True):
            self.answers[entry.index] = result
        self._answer_replays()


def _key_relations() -> list[str]:
    """A replayed bad rating answers with its work order: loaded with its key when the workorders app is
    installed (its one-to-one), instead of one query a replay (intake.replay_of reads it when loaded)."""
    orders = [r.name for r in Evaluation._meta.related_objects if r.one_to_one and r.name == "work_order"]
    return ["evaluation", *(f"evaluation__{name}" for name in orders)]


def ratings_record_set(
    items: Sequence[SetItem | Exception], *, sender: Sender, scope: Region | None = None
) -> list[IntakeResult | Exception]:
    """Answer each item (an exception stays its own answer) as the single call would, in order; inside
    the caller's transaction."""
    with server_binding():
        return _Batch(items, sender, scope).run()


def _locked_cases(serials: set[str], scope: Region | None) -> dict[str, ServiceRecord]:
    cases = case_reads(CASE_FACTS).filter(serial_no__in=serials).order_by("pk")
    if scope is not None:
        cases = cases.filter(region__path__startswith=scope.path)
    return {case.serial_no: case for case in cases}


def _write(gathered: list[_Gathered], sender: Sender) -> list[IntakeResult]:
    rows = Evaluation.objects.bulk_create([entry.row for entry in gathered])
    ClientKey.objects.bulk_create(
        [
            ClientKey(
                sender_kind=sender.kind,
                sender_id=sender.id,
                client_id=entry.item.rating.client_id,
                body_digest=entry.digest,
                evaluation=row,
            )
            for entry, row in zip(gathered, rows, strict=True)
            if entry.item.rating.client_id
        ]
    )
    evaluations_recorded.send(sender=Evaluation, evaluations=rows)
    historical = {row.pk: entry.item.rating.historical for entry, row in zip(gathered, rows, strict=True)}
    bad = [row for row in rows if row.grade in BAD_GRADES and not historical[row.pk]]
    numbers: dict[int, str] = {}
    if bad:  # one complaint, one work order (intake._announce), opened together
        for _receiver, opened in bad_evaluations_recorded.send(sender=Evaluation, evaluations=bad):
            if isinstance(opened, dict):
                numbers = {**opened, **numbers}  # the first receiver's number wins
    return [
        IntakeResult(evaluation=row, created=True, work_order=numbers.get(row.pk), rows=[row]) for row in rows
    ]
