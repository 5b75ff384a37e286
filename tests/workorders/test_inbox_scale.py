"""DESIGN §10: the inbox answers 100 000 open orders with the same fixed number of queries as one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.inbox_data import fill
from evaluations.services.intake import Rating, evaluation_record
from workorders.models import WorkOrder


def inbox_queries(client, url: str = "/orders/?tab=all") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_inbox_costs_the_same_queries_with_100_000_open_orders(client, owner, make_record):
    rating = Rating(target="matter", stage="completion", grade=1, channel="pc", comment="等太久")
    evaluation_record(rating=rating, record=make_record())
    client.force_login(owner)
    one, _ = inbox_queries(client)

    settings = connection.settings_dict
    fill(f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}", 100_000)
    assert WorkOrder.objects.count() == 100_001

    many, page = inbox_queries(client)
    deep, _ = inbox_queries(client, "/orders/?tab=all&page=500")
    searched, _ = inbox_queries(client, "/orders/?tab=all&q=BENCH-0000")
    assert one == many == deep == searched, (one, many, deep, searched)
    assert "BENCH-" in page  # the page really lists the bulk orders of the office's region
