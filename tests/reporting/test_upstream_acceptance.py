"""Acceptance (issue 7): with the platform stopped for a while under a stream of ratings, every rating
arrives exactly once after it returns.

Three threads share the real database: one takes ratings through the intake service, two run the
push as the beat would (each pass claims its rows with SKIP LOCKED). The platform on loopback is
stopped after a third of the ratings and started again on the same port after two thirds; then time
is let pass (``now=``) until every backed-off message is due and sent.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from bench.upstream_platform import Platform, point_settings_at
from evaluations.models import Evaluation
from reporting.models import UpstreamMessage
from reporting.upstream.push import due_messages, upstream_push

from ..workorders.workorder_fixtures import rate

CASES = 45
FOLLOW_UP_EVERY = 5  # every fifth case also gets a follow-up rating, which must arrive after the first
GRADES = (5, 4, 3, 1)  # grade 1 (with a tag) also opens a work order in the same transaction


def wait_for(condition, seconds: float = 30) -> None:
    deadline = timezone.now() + timedelta(seconds=seconds)
    while not condition():
        assert timezone.now() < deadline, "timed out waiting"
        threading.Event().wait(0.02)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_rating_arrives_exactly_once_after_the_platform_comes_back(make_record, settings):
    platform = Platform()
    point_settings_at(settings, platform)
    settings.UPSTREAM_BATCH = 4
    cases = [make_record() for _ in range(CASES)]
    rated = []  # evaluation ids, in the order the ratings were taken
    stopped, restarted, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def rater() -> None:
        try:
            for number, case in enumerate(cases):
                if number == CASES // 3:
                    stopped.wait(10)  # the platform goes down here
                if number == 2 * CASES // 3:
                    restarted.wait(10)  # and comes back here
                grade = GRADES[number % len(GRADES)]
                tags = ["M1-01"] if grade == 1 else []
                rated.append(rate(case, grade=grade, tags=tags, channel="device").evaluation.pk)
                if number % FOLLOW_UP_EVERY == 0:
                    rated.append(rate(case, grade=5, tags=[], assess_number=2, channel="qr").evaluation.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()
            connections.close_all()

    def pusher() -> None:
        try:
            while not done.is_set() or due_messages(timezone.now()).exists():
                upstream_push()  # real time: a failed batch backs off for a minute
                threading.Event().wait(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=rater),
        threading.Thread(target=pusher),
        threading.Thread(target=pusher),
    ]
    for thread in threads:
        thread.start()
    servers = [platform]
    try:
        wait_for(lambda: len(rated) >= CASES // 3)
        platform.stop()
        stopped.set()
        # Down while ratings keep coming: batches fail and back off, and nothing is lost.
        wait_for(lambda: UpstreamMessage.objects.filter(status="failed").count() >= 3)
        servers.append(Platform(port=platform.port))
        restarted.set()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert not any(thread.is_alive() for thread in threads)
        # Time passes: the messages that failed during the outage come due and go out.
        for hours in range(1, 10):
            if not UpstreamMessage.objects.exclude(status="sent").exists():
                break
            upstream_push(now=timezone.now() + timedelta(hours=hours))
    finally:
        for server in servers:
            server.stop()

    received = [key for server in servers for key in server.received]
    expected = [f"evaluation:{pk}" for pk in rated]
    assert len(rated) == CASES + len(range(0, CASES, FOLLOW_UP_EVERY)) == Evaluation.objects.count()
    assert Counter(received) == Counter(expected)  # every rating, exactly once
    assert all(server.duplicates() == {} for server in servers)
    assert not UpstreamMessage.objects.exclude(status="sent").exists()
    # The outage happened: some messages failed before they went through.
    assert UpstreamMessage.objects.filter(attempts__gt=1).exists()
    assert servers[0].received and servers[1].received
    # Order per case: a follow-up never arrives before the first rating of its case.
    for case in cases[::FOLLOW_UP_EVERY]:
        first, follow_up = Evaluation.objects.filter(record=case).order_by("assess_number")
        assert received.index(f"evaluation:{first.pk}") < received.index(f"evaluation:{follow_up.pk}")
