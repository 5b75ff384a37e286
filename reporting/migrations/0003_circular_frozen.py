"""A circular's numbers are frozen by PostgreSQL itself: only its publication columns may change.

Regenerating a month writes a new version; a published circular cannot be deleted.
"""

from django.db import migrations

# The snapshot columns as they were then (written out: a later model change must not rewrite this migration).
FROZEN_FIELDS = ("region_id", "period", "version", "policy", "data", "created_at", "created_by_id")
OLD_ROW = ", ".join(f"OLD.{column}" for column in FROZEN_FIELDS)
NEW_ROW = ", ".join(f"NEW.{column}" for column in FROZEN_FIELDS)

CREATE = f"""
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
    IF ROW({OLD_ROW}) IS DISTINCT FROM ROW({NEW_ROW}) THEN
        RAISE EXCEPTION 'circular % is frozen: its figures cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER circular_frozen
    BEFORE UPDATE OR DELETE ON reporting_circular
    FOR EACH ROW EXECUTE FUNCTION reporting_circular_frozen();
"""

DROP = """
DROP TRIGGER IF EXISTS circular_frozen ON reporting_circular;
DROP FUNCTION IF EXISTS reporting_circular_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_rollups_circulars_revisits_exports")]
    operations = [migrations.RunSQL(CREATE, DROP)]
