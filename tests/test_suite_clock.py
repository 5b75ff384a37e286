"""The suite's clock (tests/today.py): under TEST_TODAY every reader of the date sees the travelled day,
in the test body and in the live server's thread."""

import time
import urllib.request
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from tests.today import BEIJING, suite_today

pytestmark = pytest.mark.calendar


def expected_day() -> date:
    return suite_today() or timezone.localdate()


def test_the_test_body_reads_the_suite_day():
    day = expected_day()
    assert timezone.localdate() == day
    assert timezone.localtime().date() == day
    assert datetime.fromtimestamp(time.time(), BEIJING).date() == day
    if suite_today() is not None:
        # 10:00 Beijing is 02:00 UTC: the machine's own (UTC) date is the same day.
        assert date.today() == day  # noqa: DTZ011 -- the machine's own date is what is tested
        assert 10 <= timezone.localtime().hour < 12  # started at 10:00 and ticking


# serialized_rollback: as in test_sms_gateway, a plain flush would break the next serialized test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_server_thread_reads_the_suite_day(live_server):
    # The HTTP Date header is written by the server thread from its own clock.
    with urllib.request.urlopen(f"{live_server.url}/healthz") as response:
        sent = response.headers["Date"]
    served = datetime.strptime(sent, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert served.astimezone(BEIJING).date() == expected_day()
