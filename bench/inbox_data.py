"""Bulk rows for the inbox benchmark: N bad ratings and N open work orders spread over the demo
departments, written with INSERT … SELECT generate_series so 100 000 take seconds, not minutes."""

import psycopg

EVALUATIONS = """
INSERT INTO evaluations_evaluation (target, stage, grade, tags, comment, channel, kind, assess_number,
    matter_id, staff_id, window_id, department_id, region_id, evaluator_name, evaluator_phone, real_name,
    device_serial, submitted_at, rated_at, validity, validity_reason, flagged, flag_reason, late_upload)
SELECT 'matter', 'completion', 1 + (n %% 2), '{M1-06}', '办理时间太长', 'pc', 'active', 1,
    m.id, NULL, NULL, m.department_id, d.region_id, '', '', false, '', now(),
    now() - (n %% 60) * interval '1 day', 'valid', '', false, '', false
FROM generate_series(1, %(n)s) AS n
JOIN LATERAL (
    SELECT id, department_id FROM evaluations_servicematter ORDER BY id OFFSET (n %% %(matters)s) LIMIT 1
) AS m ON true
JOIN evaluations_department d ON d.id = m.department_id
"""

ORDERS = """
INSERT INTO workorders_workorder (number, source, summary, evaluation_id, state, category, department_id,
    office_region_id, contact_due, due, extensions_used, created_at, dispatched_at, rectification, reply,
    revisit_result, revisit_channel, contact_way, contact_note, public_reply)
SELECT 'BENCH-' || lpad(e.id::text, 8, '0'), 'rating', '', e.id,
    (ARRAY['created', 'dispatched', 'handling', 'reviewing', 'revisiting', 'appealing'])[1 + e.id % 6],
    (ARRAY['simple', 'general', 'complex'])[1 + e.id % 3], e.department_id, d.region_id,
    current_date + (e.id % 7 - 3)::int, current_date + (e.id % 20 - 8)::int, 0, e.rated_at,
    CASE WHEN e.id % 6 = 0 THEN NULL ELSE e.rated_at END, '', '', '', '', '', '', ''
FROM evaluations_evaluation e JOIN evaluations_department d ON d.id = e.department_id
WHERE NOT EXISTS (SELECT 1 FROM workorders_workorder w WHERE w.evaluation_id = e.id)
"""


def fill(database_url: str, n: int) -> None:
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute("SELECT count(*) FROM evaluations_servicematter").fetchone()
        assert row is not None  # an aggregate always answers one row
        matters = row[0]
        connection.execute(EVALUATIONS, {"n": n, "matters": matters})
        connection.execute(ORDERS)
        connection.execute("ANALYZE")
