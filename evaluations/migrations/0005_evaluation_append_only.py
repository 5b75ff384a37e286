"""Ratings are append-only, enforced by PostgreSQL itself (DESIGN §9; Qingdao: statistics "unalterable").

UPDATE may change only the decision columns kept beside a rating (validity, flags); any change of a
rated column, and any DELETE, raises. TRUNCATE (used by test-database flushes) is not a row event.
"""

from django.db import migrations

RATED_COLUMNS = (
    "record_id", "target", "stage", "grade", "tags", "comment", "channel", "kind", "assess_number",
    "matter_id", "staff_id", "window_id", "department_id", "region_id", "evaluator_name", "evaluator_phone",
    "real_name", "client_id", "submitted_at", "rated_at", "entered_by_id", "device_serial",
)  # fmt: skip

OLD_ROW = ", ".join(f"OLD.{column}" for column in RATED_COLUMNS)
NEW_ROW = ", ".join(f"NEW.{column}" for column in RATED_COLUMNS)

CREATE = f"""
CREATE OR REPLACE FUNCTION evaluations_evaluation_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'evaluation % is append-only: DELETE refused', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF ROW({OLD_ROW}) IS DISTINCT FROM ROW({NEW_ROW}) THEN
        RAISE EXCEPTION 'evaluation % is append-only: rated fields cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER evaluation_append_only
    BEFORE UPDATE OR DELETE ON evaluations_evaluation
    FOR EACH ROW EXECUTE FUNCTION evaluations_evaluation_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS evaluation_append_only ON evaluations_evaluation;
DROP FUNCTION IF EXISTS evaluations_evaluation_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_cases_ratings_policy")]
    operations = [migrations.RunSQL(CREATE, DROP)]
