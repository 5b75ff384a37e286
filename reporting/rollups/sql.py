"""The two INSERT … SELECT statements that build rollup rows (see reporting/models/rollups.py).

A rating counts in its local (Beijing) day. Work-order figures are those of the order of a *valid*
bad review, as it stands when the slice is built: rectified = approved by the office; on time = the
rectification was submitted by its due date; revisited = the citizen answered 满意 or 不满意.

"orders", "rectified", "on_time" and "revisit_satisfied" are written a second time, as ORM
conditions, in workorders/figures.py for the managers' live board (按期整改率 = 按期整改差评数 /
有效差评数, Ganzhou; an open order, overdue or not, is in the denominator and not on time). The two
MUST agree: change both or neither; tests/reporting/test_figures_agree.py checks it.
"""

VALID = "e.validity = 'valid'"
# Burst-flagged ratings held out of the figures when the slice is built: %(held)s is the list of their
# ids, from evaluations.flags.held_ids (build.py). A held rating counts only as "held"; its work order
# counts in the order measures as on the board, which knows no holds, until a ruling takes it out.
HELD = "(e.flagged AND e.id = ANY(%(held)s::bigint[]))"
COUNTED = f"{VALID} AND NOT {HELD}"
ANSWERED = "o.revisit_result IN ('satisfied', 'dissatisfied')"
# A case's own slot: its matter rated at completion, first time. Timeouts fill exactly this slot, so
# the active rate and 未评率 count cases here (Tianjin art. 23: 获得主动评价的办件数), not staff ratings
# or follow-ups.
CASE_SLOT = "e.target = 'matter' AND e.stage = 'completion' AND e.assess_number = 1"

MEASURE_SQL = {
    "g1": f"count(*) FILTER (WHERE {COUNTED} AND e.grade = 1)",
    "g2": f"count(*) FILTER (WHERE {COUNTED} AND e.grade = 2)",
    "g3": f"count(*) FILTER (WHERE {COUNTED} AND e.grade = 3)",
    "g4": f"count(*) FILTER (WHERE {COUNTED} AND e.grade = 4)",
    "g5": f"count(*) FILTER (WHERE {COUNTED} AND e.grade = 5)",
    "defaults": f"count(*) FILTER (WHERE {COUNTED} AND e.kind = 'default')",
    "unevaluated": (
        f"count(*) FILTER (WHERE {CASE_SLOT} AND (e.kind = 'unevaluated' OR e.validity = 'unevaluated'))"
    ),
    "voided": "count(*) FILTER (WHERE e.validity NOT IN ('valid', 'ruled'))",
    "orders": f"count(o.id) FILTER (WHERE {VALID})",
    "rectified": f"count(o.id) FILTER (WHERE {VALID} AND o.approved_at IS NOT NULL)",
    "on_time": (
        f"count(o.id) FILTER (WHERE {VALID} AND o.approved_at IS NOT NULL AND o.due IS NOT NULL"
        " AND (o.submitted_at AT TIME ZONE %(tz)s)::date <= o.due)"
    ),
    "revisited": f"count(o.id) FILTER (WHERE {VALID} AND {ANSWERED})",
    "revisit_satisfied": f"count(o.id) FILTER (WHERE {VALID} AND o.revisit_result = 'satisfied')",
    "realname_orders": f"count(o.id) FILTER (WHERE {VALID} AND e.real_name)",
    "realname_revisited": f"count(o.id) FILTER (WHERE {VALID} AND e.real_name AND {ANSWERED})",
    "case_active": f"count(*) FILTER (WHERE {COUNTED} AND {CASE_SLOT} AND e.kind = 'active')",
    "held": f"count(*) FILTER (WHERE {VALID} AND {HELD})",
    "ruled": "count(*) FILTER (WHERE e.validity = 'ruled')",
}

MEASURES = tuple(MEASURE_SQL)
_COLUMNS = ", ".join(MEASURES)

# %(start)s / %(end)s bound the rated_at instants of whole local days; %(departments)s is optional.
DAILY_INSERT = f"""
INSERT INTO reporting_dailyrollup
    (day, region_id, department_id, hall_id, window_id, staff_id, matter_id, channel, target, {_COLUMNS})
SELECT (e.rated_at AT TIME ZONE %(tz)s)::date, e.region_id, e.department_id, w.hall_id, e.window_id,
       e.staff_id, e.matter_id, e.channel, e.target, {", ".join(MEASURE_SQL.values())}
FROM evaluations_evaluation e
LEFT JOIN evaluations_window w ON w.id = e.window_id
LEFT JOIN workorders_workorder o ON o.evaluation_id = e.id
WHERE e.rated_at >= %(start)s AND e.rated_at < %(end)s {{departments}}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""

DEPARTMENT_INSERT = f"""
INSERT INTO reporting_departmentdaily (day, region_id, department_id, {_COLUMNS})
SELECT day, region_id, department_id, {", ".join(f"sum({m})" for m in MEASURES)}
FROM reporting_dailyrollup
WHERE day >= %(first)s AND day <= %(last)s {{departments}}
GROUP BY 1, 2, 3
"""

MONTHLY_INSERT = f"""
INSERT INTO reporting_departmentmonthly (month, region_id, department_id, {_COLUMNS})
SELECT date_trunc('month', day)::date, region_id, department_id, {", ".join(f"sum({m})" for m in MEASURES)}
FROM reporting_departmentdaily
WHERE day >= %(month_first)s AND day < %(month_end)s {{departments}}
GROUP BY 1, 2, 3
"""
