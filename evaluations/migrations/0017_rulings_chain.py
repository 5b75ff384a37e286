# Issue 14, point 4(b)(c), written by hand: rulings as append-only rows; the hash chain over ratings.
#
# - Ruling: every later decision on a rating's validity is a row (pgtrigger: no UPDATE/DELETE); an AFTER
#   INSERT trigger copies it onto the rating's cached outcome columns (evaluations/models/rulings.py).
# - A guard on the rating: validity, validity_reason and validity_changed_at change only from that
#   nested trigger (pg_trigger_depth() > 1), never from an application UPDATE.
# - ChainLink and DailyDigest (evaluations/models/chain.py), append-only.
# - Decisions taken before (flag reviews, voided appeals) are copied into rulings, so that every cached
#   outcome equals its latest ruling.
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

PROTECT_FUNC = "RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;"
SETS_OUTCOME = """
    UPDATE evaluations_evaluation
    SET validity = NEW.outcome, validity_reason = NEW.reason, validity_changed_at = NEW.decided_at
    WHERE id = NEW.evaluation_id;
    RETURN NULL;
"""

GUARD = """
CREATE OR REPLACE FUNCTION evaluations_evaluation_outcome_by_ruling() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 AND ROW(OLD.validity, OLD.validity_reason, OLD.validity_changed_at)
            IS DISTINCT FROM ROW(NEW.validity, NEW.validity_reason, NEW.validity_changed_at) THEN
        RAISE EXCEPTION 'evaluation % is append-only: its validity is set by a ruling (evaluations_ruling)',
            OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER evaluation_outcome_by_ruling
    BEFORE UPDATE OF validity, validity_reason, validity_changed_at ON evaluations_evaluation
    FOR EACH ROW EXECUTE FUNCTION evaluations_evaluation_outcome_by_ruling();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS evaluation_outcome_by_ruling ON evaluations_evaluation;
DROP FUNCTION IF EXISTS evaluations_evaluation_outcome_by_ruling();
"""

# Flag reviews (both decisions) and the other invalid outcomes (voided appeals), in the order taken.
BACKFILL = """
INSERT INTO evaluations_ruling (evaluation_id, outcome, reason, source, decided_by_id, decided_at)
SELECT evaluation_id, outcome, reason, source, decided_by_id, decided_at FROM (
    SELECT r.evaluation_id, CASE WHEN r.decision = 'ruled' THEN 'ruled' ELSE 'valid' END AS outcome,
           r.reason, 'flag_review' AS source, r.decided_by_id, r.decided_at
    FROM evaluations_flagreview r
    UNION ALL
    SELECT e.id, e.validity, e.validity_reason, 'appeal', NULL,
           COALESCE(e.validity_changed_at, e.submitted_at)
    FROM evaluations_evaluation e WHERE e.validity NOT IN ('valid', 'ruled')
) AS taken ORDER BY decided_at, evaluation_id;
"""


def _trigger(model: str, name: str, pgid: str, hash: str, when: str, operation: str, func: str):
    return pgtrigger.migrations.AddTrigger(
        model_name=model,
        trigger=pgtrigger.compiler.Trigger(
            name=name,
            sql=pgtrigger.compiler.UpsertTriggerSql(
                func=func, hash=hash, operation=operation, pgid=pgid, table=f"evaluations_{model}", when=when
            ),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0016_client_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Ruling",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("valid", "有效"),
                            ("not_adopted", "不予采纳"),
                            ("unevaluated", "归为“未评”"),
                            ("untrue", "不属实"),
                            ("ruled", "认定刷评或恶意评价"),
                        ],
                        max_length=16,
                        verbose_name="认定结果",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="认定理由")),
                (
                    "source",
                    models.CharField(
                        choices=[("appeal", "申诉复核"), ("flag_review", "待核查评价核查")],
                        max_length=16,
                        verbose_name="认定来源",
                    ),
                ),
                ("decided_at", models.DateTimeField(db_index=True, verbose_name="认定时间")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="认定人",
                    ),
                ),
                (
                    "evaluation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rulings",
                        to="evaluations.evaluation",
                        verbose_name="评价",
                    ),
                ),
            ],
            options={"verbose_name": "评价认定", "verbose_name_plural": "评价认定", "ordering": ["-id"]},
        ),
        migrations.CreateModel(
            name="ChainLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("rating", "评价"), ("ruling", "认定")], max_length=8, verbose_name="类型"
                    ),
                ),
                ("ref_id", models.BigIntegerField(verbose_name="编号")),
                ("version", models.PositiveSmallIntegerField(verbose_name="格式版本")),
                ("digest", models.CharField(max_length=64, verbose_name="校验码")),
                ("sealed_at", models.DateTimeField(db_index=True, verbose_name="封存时间")),
            ],
            options={
                "verbose_name": "校验链环节",
                "verbose_name_plural": "校验链环节",
                "constraints": [models.UniqueConstraint(fields=("kind", "ref_id"), name="chain_link_once")],
            },
        ),
        migrations.CreateModel(
            name="DailyDigest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True, verbose_name="日期")),
                ("head", models.CharField(max_length=64, verbose_name="日终校验码")),
                ("last_link", models.BigIntegerField(verbose_name="日终最后环节")),
                ("links", models.PositiveIntegerField(verbose_name="当日封存")),
                ("total", models.PositiveIntegerField(verbose_name="累计封存")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="写入时间")),
            ],
            options={"verbose_name": "每日校验码", "verbose_name_plural": "每日校验码", "ordering": ["-day"]},
        ),
        _trigger(
            "ruling", "ruling_append_only", "pgtrigger_ruling_append_only_5e617",
            "c812480bcb6f66b4ea4b9e6242a4aa4c2aa36acb", "BEFORE", "UPDATE OR DELETE", PROTECT_FUNC,
        ),
        _trigger(
            "ruling", "ruling_sets_outcome", "pgtrigger_ruling_sets_outcome_65fe4",
            "8f9050338fead7695f6e16445b1603effcc30fbb", "AFTER", "INSERT", SETS_OUTCOME,
        ),
        _trigger(
            "chainlink", "chain_link_append_only", "pgtrigger_chain_link_append_only_6f90e",
            "859d38821268aa22bf982e51f736f88865d792f6", "BEFORE", "UPDATE OR DELETE", PROTECT_FUNC,
        ),
        _trigger(
            "dailydigest", "daily_digest_append_only", "pgtrigger_daily_digest_append_only_6aa72",
            "c8af24fa3beffc3cd5f0b1f44c45b09986aa70c9", "BEFORE", "UPDATE OR DELETE", PROTECT_FUNC,
        ),
        migrations.RunSQL(GUARD, UNGUARD),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]  # fmt: skip
