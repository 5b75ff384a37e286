"""Settings of the benchmark's gunicorn: the product's, plus the floor endpoint (bench/floor_urls.py).

Only ``bench_intake`` uses this module (in the server's environment); the row the floor writes is of
the department and region the benchmark's preparation names.
"""

import os

from config.settings import *  # noqa: F403 the same settings, middleware and database pool

ROOT_URLCONF = "bench.floor_urls"
BENCH_FLOOR_ROW = {
    "department_id": int(os.environ.get("BENCH_FLOOR_DEPARTMENT", "0")),
    "region_id": int(os.environ.get("BENCH_FLOOR_REGION", "0")),
}
