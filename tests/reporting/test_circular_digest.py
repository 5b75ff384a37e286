"""The monthly circular prints the hash chain's closing digest of its month (数据校验码), so that a
rewrite of the whole chain after publication shows (DESIGN §9; Qingdao art. 16 "不可更改")."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluations.models import DailyDigest
from reporting.circulars.service import circular_generate
from reporting.periods import Period

from ..evaluations.chain_fixtures import TZ, rate, seal_at

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")
LAST_DAY = dt.datetime(2026, 10, 31, 12, 0, tzinfo=TZ)


def test_design_s9_the_circular_prints_the_digest_at_the_end_of_its_month(client, regions, org, owner):
    rate(org["zhanggong"], at=LAST_DAY)
    rate(org["zhanggong"], at=LAST_DAY)
    seal_at(LAST_DAY + dt.timedelta(minutes=5))
    seal_at(dt.datetime(2026, 11, 1, 0, 1, tzinfo=TZ))  # the first run after the month: 31 October's digest
    closing = DailyDigest.objects.get(day=dt.date(2026, 10, 31))
    circular = circular_generate(region=regions["zhanggong"], period=OCT, by=owner)
    assert circular.data["chain"] == {"day": "2026-10-31", "head": closing.head, "total": 2}
    client.force_login(owner)
    page = client.get(reverse("reporting:circular", args=[circular.pk])).content.decode()
    assert "数据校验码（截至 2026-10-31 日终，累计封存评价和认定 2 条）" in page
    assert f"<code>{closing.head}</code>" in page


def test_design_s9_a_circular_before_the_digest_says_it_is_not_written_yet(client, regions, org, owner):
    circular = circular_generate(region=regions["zhanggong"], period=OCT, by=owner)
    assert circular.data["chain"] is None
    client.force_login(owner)
    page = client.get(reverse("reporting:circular", args=[circular.pk])).content.decode()
    assert "数据校验码：本月最后一天的校验码尚未生成。" in page
