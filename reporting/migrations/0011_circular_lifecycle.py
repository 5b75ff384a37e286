"""The lifecycle of a circular, held by PostgreSQL: draft → frozen → published → withdrawn, nothing else.

- the snapshot (figures, rankings, policy, who generated it, which version it corrects) never changes;
- the office's text (number, narrative, typical cases) changes only while the circular is a draft;
- each milestone (frozen, published, withdrawn, with who and the reason) is written once and then fixed;
- the state moves only forward, one step at a time;
- only a draft may be deleted (a frozen circular is a record; 0003 refused deleting a published one).

The check constraints say the same of a single row: a frozen circular has its time, a withdrawn one its
reason; the partial unique index keeps one public version per region and month.
"""

import django.db.models
from django.db import migrations, models

SNAPSHOT = ("region_id", "period", "version", "policy", "data", "created_at", "created_by_id", "corrects_id")
DRAFT = ("number", "narrative", "cases")
MILESTONES = {
    "frozen": ("frozen_at", "frozen_by_id"),
    "published": ("published_at", "published_by_id"),
    "withdrawn": ("withdrawn_at", "withdrawn_by_id", "withdraw_reason"),
}
# A milestone is fixed once the state has reached it.
REACHED = {
    "frozen": ("frozen", "published", "withdrawn"),
    "published": ("published", "withdrawn"),
    "withdrawn": ("withdrawn",),
}


def _row(prefix: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{prefix}.{column}" for column in columns)


def _changed(columns: tuple[str, ...]) -> str:
    return f"ROW({_row('OLD', columns)}, NULL) IS DISTINCT FROM ROW({_row('NEW', columns)}, NULL)"


def _states(states: tuple[str, ...]) -> str:
    return ", ".join(f"'{state}'" for state in states)


MILESTONE_CHECKS = "\n".join(
    f"""    IF OLD.state IN ({_states(REACHED[name])}) AND {_changed(columns)} THEN
        RAISE EXCEPTION 'circular %: its % milestone is fixed', OLD.id, '{name}' USING ERRCODE = 'restrict_violation';
    END IF;"""
    for name, columns in MILESTONES.items()
)

CREATE = f"""
CREATE OR REPLACE FUNCTION reporting_circular_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' THEN
            RAISE EXCEPTION 'circular % is %: DELETE refused', OLD.id, OLD.state
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF {_changed(SNAPSHOT)} THEN
        RAISE EXCEPTION 'circular % is frozen: its figures cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.state <> 'draft' AND {_changed(DRAFT)} THEN
        RAISE EXCEPTION 'circular % is frozen: its text cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
{MILESTONE_CHECKS}
    IF NEW.state IS DISTINCT FROM OLD.state AND (OLD.state, NEW.state) NOT IN (
        ('draft', 'frozen'), ('frozen', 'published'), ('published', 'withdrawn')
    ) THEN
        RAISE EXCEPTION 'circular %: % -> % refused', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
"""

# Back to 0003's function: the first seven snapshot columns, and no DELETE of a published circular.
OLD_SNAPSHOT = SNAPSHOT[:7]
RESTORE = f"""
CREATE OR REPLACE FUNCTION reporting_circular_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'circular % is published: DELETE refused', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF ROW({_row('OLD', OLD_SNAPSHOT)}) IS DISTINCT FROM ROW({_row('NEW', OLD_SNAPSHOT)}) THEN
        RAISE EXCEPTION 'circular % is frozen: its figures cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0010_existing_circulars")]
    operations = [
        migrations.AddConstraint(
            model_name='circular',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'published')), fields=('region', 'period'), name='circular_one_published'),
        ),
        migrations.AddConstraint(
            model_name='circular',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'draft'), ('frozen_at__isnull', False), _connector='OR'), name='circular_frozen_has_time'),
        ),
        migrations.AddConstraint(
            model_name='circular',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['published', 'withdrawn']), _negated=True), ('published_at__isnull', False), _connector='OR'), name='circular_published_has_time'),
        ),
        migrations.AddConstraint(
            model_name='circular',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'withdrawn'), _negated=True), models.Q(('withdrawn_at__isnull', False), models.Q(('withdraw_reason', ''), _negated=True)), _connector='OR'), name='circular_withdrawn_has_reason'),
        ),
        migrations.RunSQL(CREATE, RESTORE),
    ]
