"""The hash chain over ratings and rulings, sealed by a periodic task, checked by ``ratings verify``.

DESIGN §9 "daily hash chain with a verify command"; Qingdao art. 16 "评价数据自动生成、不可更改".
Tampering from outside the application is in test_rating_chain_tamper.py.
"""

import datetime as dt
from contextlib import nullcontext

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.db import DatabaseError, connection, transaction

from evaluations.chain.canonical import GENESIS, RATING_COLUMNS, VERSION, canonical, fetch_rows, link_digest
from evaluations.models import RATED_FIELDS, ChainLink, DailyDigest, Ruling, RulingSource
from evaluations.services.rulings import ruling_record
from evaluations.tasks import seal_ratings

from ..db_roles import as_owner
from .chain_fixtures import SETTLED, TUESDAY, rate, seal_at, verify

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_design_s9_links_chain_each_rating_to_the_previous_digest_in_id_order(org):
    first, second = rate(org["zhanggong"]), rate(org["zhanggong"], grade=4, comment="不错")
    assert seal_at(TUESDAY + SETTLED).ratings == 2
    links = list(ChainLink.objects.order_by("id"))
    assert [(link.kind, link.ref_id) for link in links] == [("rating", first.pk), ("rating", second.pk)]
    with connection.cursor() as cursor:
        rows = fetch_rows(cursor, "rating", VERSION, [first.pk, second.pk])
    expected_first = link_digest(GENESIS, canonical("rating", VERSION, rows[first.pk]))
    assert links[0].digest == expected_first
    assert links[1].digest == link_digest(expected_first, canonical("rating", VERSION, rows[second.pk]))
    assert '"grade":4' in canonical("rating", VERSION, rows[second.pk])


def test_design_s9_sealing_is_idempotent_and_waits_for_rows_still_settling(org):
    early = rate(org["zhanggong"])
    late = rate(org["zhanggong"], at=TUESDAY + dt.timedelta(minutes=5))
    # Six minutes on, the late rating is one minute old: younger than the settle time, left for later.
    assert seal_at(TUESDAY + dt.timedelta(minutes=6)).ratings == 1
    assert seal_at(TUESDAY + dt.timedelta(minutes=6)).ratings == 0
    assert list(ChainLink.objects.values_list("ref_id", flat=True)) == [early.pk]
    assert seal_at(TUESDAY + dt.timedelta(minutes=7)).ratings == 1
    assert list(ChainLink.objects.order_by("id").values_list("ref_id", flat=True)) == [early.pk, late.pk]


def test_design_s9_the_beat_task_seals_every_minute(org):
    assert settings.CELERY_BEAT_SCHEDULE["ratings-seal"]["task"] == "evaluations.tasks.seal_ratings"
    assert settings.CELERY_BEAT_SCHEDULE["ratings-seal"]["schedule"] == 60.0
    rate(org["zhanggong"], at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # long settled, whatever today is
    assert seal_ratings() == {"ratings": 1, "rulings": 0, "digests": 0}


def test_design_s9_rulings_are_folded_into_the_same_chain(org, owner):
    rating = rate(org["zhanggong"], grade=1)
    seal_at(TUESDAY + SETTLED)
    ruling = ruling_record(
        evaluation=rating, outcome="not_adopted", reason="经核实属误评", source=RulingSource.APPEAL, by=owner,
        at=TUESDAY + dt.timedelta(hours=1),
    )  # fmt: skip
    assert seal_at(TUESDAY + dt.timedelta(hours=2)).rulings == 1
    assert list(ChainLink.objects.order_by("id").values_list("kind", "ref_id")) == [
        ("rating", rating.pk),
        ("ruling", ruling.pk),
    ]
    assert "校验通过" in verify()


def test_design_s9_a_daily_digest_is_written_once_the_day_is_over(org):
    rate(org["zhanggong"])
    rate(org["zhanggong"])
    seal_at(TUESDAY + SETTLED)
    assert not DailyDigest.objects.exists()  # Tuesday is not over
    wednesday = TUESDAY + dt.timedelta(days=1)
    rate(org["zhanggong"], at=wednesday)
    assert seal_at(wednesday + SETTLED).digests == 1
    tuesday = DailyDigest.objects.get()
    head = ChainLink.objects.order_by("id")[1]
    assert (tuesday.day, tuesday.head, tuesday.last_link, tuesday.links, tuesday.total) == (
        dt.date(2026, 11, 10), head.digest, head.pk, 2, 2,
    )  # fmt: skip
    # Thursday and Friday: Wednesday's digest carries the third link, Thursday's adds none.
    assert seal_at(TUESDAY + dt.timedelta(days=3)).digests == 2
    assert list(DailyDigest.objects.order_by("day").values_list("links", "total")) == [(2, 2), (1, 3), (0, 3)]
    output = verify()
    assert "每日校验码 3 个" in output and "校验通过" in output


def test_design_s9_verify_passes_on_an_untouched_chain_and_reports_what_it_checked(org):
    for _ in range(3):
        rate(org["zhanggong"])
    seal_at(TUESDAY + SETTLED)
    rate(org["zhanggong"], at=TUESDAY + dt.timedelta(minutes=3))  # not sealed yet
    output = verify()
    assert "共 3 环（评价 3 条、认定 0 条）" in output
    assert "尚未封存：评价 1 条" in output
    assert output.strip().endswith("校验通过")


def test_design_s9_verify_limited_to_days_checks_only_their_links(org):
    rate(org["zhanggong"])
    seal_at(TUESDAY + SETTLED)
    wednesday = TUESDAY + dt.timedelta(days=1)
    rate(org["zhanggong"])
    seal_at(wednesday)
    seal_at(wednesday + dt.timedelta(days=1))
    output = verify("--from", "2026-11-11", "--to", "2026-11-11")
    assert "封存日期：2026-11-11 — 2026-11-11" in output
    assert "共 1 环" in output and "每日校验码 1 个" in output and "校验通过" in output


def test_design_s9_verify_names_a_rating_whose_cached_validity_is_not_its_latest_ruling(org, owner):
    rating = rate(org["zhanggong"], grade=1)
    ruling_record(evaluation=rating, outcome="untrue", reason="不属实", source=RulingSource.APPEAL, by=owner)
    seal_at(TUESDAY + SETTLED)
    with as_owner(), connection.cursor() as cursor:  # the owner, around the guard
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
        cursor.execute("ALTER TABLE evaluations_evaluation DISABLE TRIGGER evaluation_outcome_by_ruling")
        cursor.execute("UPDATE evaluations_evaluation SET validity = 'valid' WHERE id = %s", [rating.pk])
        cursor.execute("ALTER TABLE evaluations_evaluation ENABLE TRIGGER evaluation_outcome_by_ruling")
    with pytest.raises(
        CommandError, match=f"评价 #{rating.pk} 的有效性（有效）与其最后一次认定（不属实）不符"
    ):
        verify()


# The app role may not even try (no UPDATE or DELETE granted); the owner is stopped by the trigger.
WHO = pytest.mark.parametrize(
    ("who", "refusal"),
    [(nullcontext, "permission denied"), (as_owner, "Cannot update or delete")],
    ids=["app", "owner"],
)


@WHO
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evaluations_ruling SET outcome = 'valid' WHERE id = %s",
        "DELETE FROM evaluations_ruling WHERE id = %s",
    ],
)
def test_qingdao_art16_a_ruling_cannot_be_updated_or_deleted(org, owner, sql, who, refusal):
    rating = rate(org["zhanggong"], grade=1)
    ruling = ruling_record(
        evaluation=rating, outcome="untrue", reason="不属实", source=RulingSource.APPEAL, by=owner
    )
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), who():
        run_sql(sql, [ruling.pk])
    assert Ruling.objects.get(pk=ruling.pk).outcome == "untrue"


@WHO
@pytest.mark.parametrize("table", ["evaluations_chainlink", "evaluations_dailydigest"])
def test_design_s9_chain_links_and_digests_cannot_be_rewritten_through_sql(org, table, who, refusal):
    rate(org["zhanggong"])
    seal_at(TUESDAY + SETTLED)
    seal_at(TUESDAY + dt.timedelta(days=1))
    for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), who():
            run_sql(sql, [])


def test_design_s9_the_chain_format_covers_every_protected_column_of_a_rating():
    """A column added to RATED_FIELDS needs a new format version here (old links keep their own)."""
    assert set(RATED_FIELDS) | {"late_upload"} <= set(RATING_COLUMNS[VERSION])
