"""A province-month for the rankings benchmark (DESIGN §10): one province, 12 cities, 110 counties,
2 000 departments with halls, windows, staff and matters, N ratings of October 2026 and a work order
for every bad one — written with INSERT … SELECT generate_series, one day per statement, into the real
tables with all their indexes, constraints and triggers in place.

Ratings arrive in time order (as they would) so the heap is ordered by ``rated_at``. Departments
differ in size (a skewed draw: the busiest takes ~2 % of the month, the quietest ~0.03 %) and in
their mix of 基本满意, default ratings, 未评 markers and bad reviews, so the ranking has a spread.
"""

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from evaluations.validators import uscc_check_char

TZ = ZoneInfo("Asia/Shanghai")
YEAR, MONTH = 2026, 10
PROVINCE = "440000000000"
CITIES = 12
COUNTIES = 110
# departments per region: 40 provincial, 30 per city, 15 or 14 per county -> 2 000
PROVINCE_DEPARTMENTS, CITY_DEPARTMENTS = 40, 30
WINDOWS_PER_DEPARTMENT, STAFF_PER_DEPARTMENT, MATTERS_PER_DEPARTMENT = 2, 6, 20
# National Day 2026: 1-7 October off, Saturday 10 October a working day (State Council schedule).
HOLIDAYS = {dt.date(YEAR, MONTH, d) for d in range(1, 8)}
MAKEUP_WORKDAYS = {dt.date(YEAR, MONTH, 10)}
ONLINE_SHARE = 0.06  # ratings given online on days the halls are closed
BAD_PER_RATING = 1250 / 15_000_000  # Guangdong, July 2023: ~1 250 bad-review orders in ~14 M ratings
UNIT_TABLE = "bench_rankings_unit"
META_TABLE = "bench_rankings_meta"


def days() -> list[tuple[dt.date, bool]]:
    """(day, halls open) for every day of the month."""
    result, day = [], dt.date(YEAR, MONTH, 1)
    while day.month == MONTH:
        working = (day.weekday() < 5 and day not in HOLIDAYS) or day in MAKEUP_WORKDAYS
        result.append((day, working))
        day += dt.timedelta(days=1)
    return result


def month_bounds() -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(YEAR, MONTH, 1, tzinfo=TZ)
    return start, dt.datetime(YEAR + MONTH // 12, MONTH % 12 + 1, 1, tzinfo=TZ)


def _uscc(region_code: str, number: int) -> str:
    first17 = f"11{region_code[:6]}MB{number:07d}"
    return first17 + uscc_check_char(first17)


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _ids(cursor, table: str, key: str) -> dict[str, int]:
    cursor.execute(f"SELECT {key}, id FROM {table}")
    return dict(cursor.fetchall())


MASTER_SQL = (
    """
    INSERT INTO evaluations_window (code, name, active, hall_id, qr_token)
        SELECT 'W' || lpad(d.id::text, 6, '0') || '-' || k, '综合窗口 ' || k, true, h.id,
               substr(md5(d.id::text || '-' || k || random()::text), 1, 16)
        FROM evaluations_department d JOIN evaluations_hall h ON h.region_id = d.region_id,
             generate_series(1, %(windows)s) AS k
        ORDER BY d.id, k
    """,
    """
    INSERT INTO evaluations_window_departments (window_id, department_id)
        SELECT w.id, substr(w.code, 2, 6)::bigint FROM evaluations_window w
    """,
    """
    INSERT INTO evaluations_staff (name, staff_no, active, department_id, user_id, window_id)
        SELECT '工作人员' || d.id || '-' || k, 'S' || lpad(d.id::text, 6, '0') || k, true, d.id, NULL,
               (SELECT w.id FROM evaluations_window w
                WHERE w.code = 'W' || lpad(d.id::text, 6, '0') || '-' || (1 + (k - 1) %% %(windows)s))
        FROM evaluations_department d, generate_series(1, %(staff)s) AS k ORDER BY d.id, k
    """,
    """
    INSERT INTO evaluations_servicematter (code, name, kind, consultation_only, active, department_id)
        SELECT 'M' || lpad(d.id::text, 6, '0') || lpad(k::text, 2, '0'), '政务服务事项 ' || d.id || '-' || k,
               CASE WHEN k %% 3 = 0 THEN 'instant' ELSE 'promise' END, false, true, d.id
        FROM evaluations_department d, generate_series(1, %(matters)s) AS k ORDER BY d.id, k
    """,
)


def master_data(cursor, seed: int = 6) -> int:
    """Regions, departments, halls, windows, staff and matters; returns the number of departments."""
    rng = random.Random(seed)
    cursor.execute(
        "INSERT INTO evaluations_region (code, name, level, path, parent_id) VALUES (%s, %s, 1, %s, NULL)",
        [PROVINCE, "基准省", f"/{PROVINCE}/"],
    )
    cities = [(f"44{c:02d}00000000", f"基准省第{c}市") for c in range(1, CITIES + 1)]
    _copy(
        cursor,
        "evaluations_region",
        ("code", "name", "level", "path", "parent_id"),
        [(code, name, 2, f"/{PROVINCE}/{code}/", None) for code, name in cities],
    )
    cursor.execute(
        "UPDATE evaluations_region SET parent_id = "
        "(SELECT id FROM evaluations_region WHERE level = 1) WHERE level = 2"
    )
    counties = []
    for index in range(COUNTIES):
        city_code, city_name = cities[index % CITIES]
        number = index // CITIES + 1
        code = f"{city_code[:4]}{number:02d}000000"
        counties.append((code, f"{city_name}第{number}县", 3, f"/{PROVINCE}/{city_code}/{code}/", city_code))
    regions = _ids(cursor, "evaluations_region", "code")
    _copy(
        cursor,
        "evaluations_region",
        ("code", "name", "level", "path", "parent_id"),
        [(c, n, lv, p, regions[parent]) for c, n, lv, p, parent in counties],
    )
    regions = _ids(cursor, "evaluations_region", "code")

    layout = [(PROVINCE, "基准省", PROVINCE_DEPARTMENTS)]
    layout += [(code, name, CITY_DEPARTMENTS) for code, name in cities]
    layout += [(c[0], c[1], 15 if i < 60 else 14) for i, c in enumerate(counties)]
    departments: list[tuple] = []
    halls: list[tuple] = []
    for code, name, count in layout:
        halls.append((f"H{code}", f"{name}政务服务中心", "centre", "", True, regions[code]))
        for k in range(count):
            number = len(departments) + 1
            kind = "centre" if k == 0 else ("vertical" if k % 7 == 3 else "bureau")
            departments.append((f"{name}部门{k + 1:02d}", _uscc(code, number), kind, True, regions[code]))
    _copy(cursor, "evaluations_department", ("name", "code", "kind", "active", "region_id"), departments)
    _copy(cursor, "evaluations_hall", ("code", "name", "kind", "address", "active", "region_id"), halls)
    params = {
        "windows": WINDOWS_PER_DEPARTMENT,
        "staff": STAFF_PER_DEPARTMENT,
        "matters": MATTERS_PER_DEPARTMENT,
    }
    for statement in MASTER_SQL:
        cursor.execute(statement, params)
    # The lookup the rating generator joins: a shuffled draw index and each department's own mix.
    cursor.execute(f"""
        CREATE TABLE {UNIT_TABLE} (
            idx integer PRIMARY KEY, department_id bigint, region_id bigint,
            matters bigint[], staff bigint[], windows bigint[],
            p_unevaluated float8, p_default float8, p_bad float8, p_basic float8, p_real float8)
    """)
    cursor.execute("SELECT id, region_id FROM evaluations_department ORDER BY id")
    rows = cursor.fetchall()
    order = list(range(1, len(rows) + 1))
    rng.shuffle(order)
    units = []
    for idx, (department, region) in zip(order, rows, strict=True):
        units.append(
            (
                idx,
                department,
                region,
                round(rng.uniform(0.002, 0.03), 5),  # 未评 markers
                round(rng.uniform(0.0, 0.04), 5),  # default ratings on timeout
                round(BAD_PER_RATING * 4 * rng.random() ** 3, 7),  # bad reviews: mean = BAD_PER_RATING
                round(rng.uniform(0.01, 0.06), 5),  # 基本满意
                round(rng.uniform(0.05, 0.3), 3),  # real-name share
            )
        )
    _copy(
        cursor,
        UNIT_TABLE,
        ("idx", "department_id", "region_id", "p_unevaluated", "p_default", "p_bad", "p_basic", "p_real"),
        units,
    )
    cursor.execute(f"""
        UPDATE {UNIT_TABLE} u SET
            matters = (SELECT array_agg(id ORDER BY id) FROM evaluations_servicematter m
                       WHERE m.department_id = u.department_id),
            staff = (SELECT array_agg(id ORDER BY id) FROM evaluations_staff s
                     WHERE s.department_id = u.department_id),
            windows = (SELECT array_agg(window_id ORDER BY window_id) FROM evaluations_window_departments w
                       WHERE w.department_id = u.department_id)
    """)
    cursor.execute("ANALYZE")
    return len(rows)


# One day of ratings. r.* are independent uniform draws; u.* the department's mix. Window channels
# (evaluator device, QR code at the counter, paper form, kiosk) carry the window and the staff member.
RATINGS = """
INSERT INTO evaluations_evaluation (target, stage, grade, tags, comment, channel, kind, assess_number,
    matter_id, staff_id, window_id, department_id, region_id, evaluator_name, evaluator_phone, real_name,
    client_id, device_serial, submitted_at, rated_at, ip_address, validity, validity_reason,
    validity_changed_at, flagged, flag_reason, entered_by_id, record_id)
SELECT
    CASE WHEN at_window AND ut < 0.4 THEN 'staff' ELSE 'matter' END,
    CASE WHEN us < 0.05 THEN 'intake' ELSE 'completion' END,
    grade,
    CASE WHEN grade <= 2 THEN '{M1-06}'::varchar[] ELSE '{}'::varchar[] END,
    CASE WHEN grade <= 2 THEN '办理时间太长，窗口人员解释不清' ELSE '' END,
    channel, kind, 1,
    matters[1 + floor(ux * array_length(matters, 1))::int],
    CASE WHEN at_window THEN staff[1 + floor(uw * array_length(staff, 1))::int] END,
    CASE WHEN at_window THEN windows[1 + floor(uw * array_length(staff, 1))::int %% array_length(windows, 1)]
    END,
    department_id, region_id, '', '', ur < p_real, NULL,
    CASE WHEN channel = 'device' THEN 'EVA-' || department_id || '-' || (1 + floor(uw * 2)::int) ELSE '' END,
    rated_at + (us * interval '3 seconds'), rated_at, NULL,
    CASE WHEN grade <= 2 AND uv < 0.04 THEN 'not_adopted' WHEN grade <= 2 AND uv < 0.08 THEN 'unevaluated'
         ELSE 'valid' END,
    '', NULL, false, '', NULL, NULL
FROM (
    SELECT u.*, r.*,
        %(start)s::timestamptz + %(span)s::interval * ((r.n - 1 + r.uj) / %(count)s) AS rated_at,
        CASE WHEN r.uk < u.p_unevaluated THEN 'unevaluated'
             WHEN r.uk < u.p_unevaluated + u.p_default THEN 'default' ELSE 'active' END AS kind,
        CASE WHEN r.uk < u.p_unevaluated THEN NULL
             WHEN r.uk < u.p_unevaluated + u.p_default THEN 4
             WHEN r.ug < u.p_bad THEN 1 + (r.ug < u.p_bad / 2)::int
             WHEN r.ug < u.p_bad + u.p_basic THEN 3
             WHEN r.ug < u.p_bad + u.p_basic + 0.12 THEN 4 ELSE 5 END AS grade,
        CASE WHEN r.uk < u.p_unevaluated + u.p_default THEN 'default'
             WHEN NOT %(open)s THEN (ARRAY['mobile', 'mobile', 'pc', 'qr', 'sms'])[1 + floor(r.uc * 5)::int]
             WHEN r.uc < 0.36 THEN 'device' WHEN r.uc < 0.56 THEN 'mobile' WHEN r.uc < 0.70 THEN 'pc'
             WHEN r.uc < 0.82 THEN 'qr' WHEN r.uc < 0.90 THEN 'kiosk' WHEN r.uc < 0.95 THEN 'sms'
             WHEN r.uc < 0.98 THEN 'phone' ELSE 'paper' END AS channel
    FROM (
        SELECT n, random() AS ud, random() AS uk, random() AS ug, random() AS uc, random() AS ux,
               random() AS uw, random() AS ut, random() AS us, random() AS ur, random() AS uv, random() AS uj
        FROM generate_series(1, %(count)s) AS n
    ) AS r
    JOIN bench_rankings_unit u ON u.idx = 1 + floor(%(departments)s * power(r.ud, 1.6))::int
) AS x,
LATERAL (SELECT x.channel IN ('device', 'qr', 'paper', 'kiosk') AS at_window) AS w
"""

# A work order for every bad rating written since ``after`` (an id), at a stage that fits its age.
ORDERS = """
INSERT INTO workorders_workorder (number, evaluation_id, state, category, department_id, office_region_id,
    handler_id, contact_due, due, extensions_used, created_at, dispatched_at, accepted_at, submitted_at,
    approved_at, closed_at, paused_at, rectification, reply, revisit_result, revisit_channel, warned_at,
    overdue_flagged_at, contacted_at, contact_way, contact_note, public_reply, source, summary)
SELECT 'BR' || lpad(e.id::text, 12, '0'), e.id, s.state,
    (ARRAY['simple', 'general', 'general', 'complex'])[1 + e.id %% 4], e.department_id, d.region_id, NULL,
    (e.rated_at AT TIME ZONE 'Asia/Shanghai')::date + 1, (e.rated_at AT TIME ZONE 'Asia/Shanghai')::date + 7,
    0, e.rated_at + interval '1 minute',
    CASE WHEN s.step >= 1 THEN e.rated_at + interval '2 hours' END,
    CASE WHEN s.step >= 2 THEN e.rated_at + interval '1 day' END,
    CASE WHEN s.step >= 3 THEN e.rated_at + (1 + e.id %% 9) * interval '1 day' END,
    CASE WHEN s.step >= 4 THEN e.rated_at + (2 + e.id %% 9) * interval '1 day' END,
    CASE WHEN s.state IN ('closed', 'voided') THEN e.rated_at + (4 + e.id %% 9) * interval '1 day' END,
    CASE WHEN s.state = 'appealing' THEN e.rated_at + interval '1 day' END,
    CASE WHEN s.step >= 3 THEN '已整改：优化流程并对窗口人员进行培训' ELSE '' END,
    CASE WHEN s.step >= 3 THEN '已电话联系评价人说明情况' ELSE '' END,
    CASE WHEN s.state = 'closed' THEN (ARRAY['satisfied', 'satisfied', 'satisfied', 'satisfied',
        'satisfied', 'satisfied', 'satisfied', 'dissatisfied', 'unreachable', 'satisfied'])[1 + e.id %% 10]
        ELSE '' END,
    CASE WHEN s.state = 'closed' THEN 'hotline' ELSE '' END, NULL, NULL,
    CASE WHEN s.step >= 3 THEN e.rated_at + (1 + e.id %% 9) * interval '1 day' END,
    CASE WHEN s.step >= 3 THEN 'reply' ELSE '' END, '', '', 'rating', ''
FROM evaluations_evaluation e
JOIN evaluations_department d ON d.id = e.department_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN e.validity <> 'valid' THEN 'voided'
                WHEN e.id %% 100 < 70 THEN 'closed' WHEN e.id %% 100 < 80 THEN 'revisiting'
                WHEN e.id %% 100 < 86 THEN 'reviewing' WHEN e.id %% 100 < 93 THEN 'handling'
                WHEN e.id %% 100 < 96 THEN 'appealing' WHEN e.id %% 100 < 98 THEN 'dispatched'
                ELSE 'created' END AS state
) AS st
CROSS JOIN LATERAL (
    SELECT st.state, CASE st.state WHEN 'created' THEN 0 WHEN 'dispatched' THEN 1 WHEN 'handling' THEN 2
        WHEN 'appealing' THEN 2 WHEN 'voided' THEN 2 WHEN 'reviewing' THEN 3 ELSE 4 END AS step
) AS s
WHERE e.id > %(after)s AND e.kind = 'active' AND e.grade <= 2
"""


def ratings(cursor, total: int, departments: int, progress: Callable[[str], None]) -> int:
    """Write ``total`` ratings of the month, one statement per day; returns the work orders written."""
    calendar = days()
    weights = [
        (1 - ONLINE_SHARE) / sum(w for _, w in calendar) * working + ONLINE_SHARE / len(calendar)
        for _, working in calendar
    ]
    counts = [int(total * w) for w in weights]
    counts[-1] += total - sum(counts)
    written = orders = 0
    for (day, working), count in zip(calendar, counts, strict=True):
        # halls open 08:30-18:00; on other days ratings come online 09:00-21:00
        opening = dt.time(8, 30) if working else dt.time(9)
        span = dt.timedelta(hours=9, minutes=30) if working else dt.timedelta(hours=12)
        cursor.execute("SELECT coalesce(max(id), 0) FROM evaluations_evaluation")
        after = cursor.fetchone()[0]
        cursor.execute(
            RATINGS,
            {
                "start": dt.datetime.combine(day, opening, TZ),
                "span": span,
                "count": count,
                "departments": departments,
                "open": working,
            },
        )
        cursor.execute(ORDERS, {"after": after})
        orders += cursor.rowcount
        written += count
        progress(
            f"{day} {'working day' if working else 'closed     '} {count:>9,} ratings, "
            f"{written:>11,} / {total:,}, {orders:,} orders"
        )
    return orders


PREVIOUS_MONTH = """
INSERT INTO reporting_departmentdaily (day, region_id, department_id, g1, g2, g3, g4, g5, defaults,
    unevaluated, voided, orders, rectified, on_time, revisited, revisit_satisfied, realname_orders,
    realname_revisited, case_active)
SELECT (day - %(months)s * interval '1 month')::date, region_id, department_id, g1, g2,
    round(g3 * (0.6 + 0.8 * random()))::int, g4, g5, defaults,
    round(unevaluated * (0.6 + 0.8 * random()))::int,
    voided, orders, rectified, on_time, revisited, revisit_satisfied, realname_orders, realname_revisited,
    case_active
FROM reporting_departmentdaily
WHERE day >= %(first)s AND day <= %(last)s
  AND extract(day FROM day) <= extract(day FROM (%(first)s::date - %(months)s * interval '1 month'
                                                 + interval '1 month - 1 day'))
"""


def previous_months(cursor, months: int) -> int:
    """DepartmentDaily rows for the ``months`` before October, derived from October's (with each
    department's 基本满意 and 未评 counts shaken), so the ranking's previous-period reads and the
    "consecutively low" flag have real rows to read. Only the department-level rollup is written."""
    first = dt.date(YEAR, MONTH, 1)
    last = days()[-1][0]
    written = 0
    for back in range(1, months + 1):
        index = YEAR * 12 + MONTH - 1 - back
        target_first = dt.date(index // 12, index % 12 + 1, 1)
        cursor.execute(
            "DELETE FROM reporting_departmentdaily WHERE day >= %s AND day < %s",
            [target_first, (target_first + dt.timedelta(days=31)).replace(day=1)],
        )
        cursor.execute(PREVIOUS_MONTH, {"months": back, "first": first, "last": last})
        written += cursor.rowcount
    return written
