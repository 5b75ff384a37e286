"""The public page (好差评专区) in each state of 赣州市's October circular: not shown as a draft or frozen,
shown once published, shown withdrawn with the reason, then replaced by the published correction with the
withdrawn version kept as history (issue 16 §2)."""

import pytest
from django.urls import reverse

from reporting.circulars.service import (
    circular_correct,
    circular_draft_save,
    circular_freeze,
    circular_generate,
    circular_publish,
    circular_withdraw,
)
from reporting.periods import Period

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")
REASON = "南康区一条差评重复统计，数据有误"


def test_the_public_page_shows_each_state(client, regions, org, october, sysadmin):
    url = reverse("public:region", args=[regions["city"].code])
    department = reverse("public:department", args=[org["zhanggong"]["department"].code])
    draft = circular_generate(region=regions["city"], period=OCT)
    circular_draft_save(
        circular=draft, number=draft.number, narrative="十月总体平稳。", case_orders=[], by=sysadmin
    )
    assert client.get(url).status_code == 404  # a draft is not public
    circular_freeze(circular=draft, by=sysadmin)
    assert client.get(url).status_code == 404  # nor a frozen one

    circular_publish(circular=draft, by=sysadmin)
    html = client.get(url).content.decode()
    assert "赣市政管通〔2026〕1号" in html and "十月总体平稳。" in html
    assert "已撤回" not in html and "本月通报版本" not in html
    assert client.get(department).status_code == 200

    circular_withdraw(circular=draft, reason=REASON, by=sysadmin)
    html = client.get(url).content.decode()
    assert "本通报已于2026年11月20日撤回。" in html and REASON in html
    assert "更正后的通报发布后将在此替代本通报" in html
    assert "已撤回" in client.get(reverse("public:index")).content.decode()
    assert client.get(department).status_code == 404  # withdrawn figures are not a department's record

    correction = circular_correct(circular=draft, by=sysadmin)
    circular_draft_save(
        circular=correction,
        number=correction.number,
        narrative="更正：十月总体平稳。",
        case_orders=[],
        by=sysadmin,
    )
    assert "更正：" not in client.get(url).content.decode()  # the correction's draft is not public yet
    circular_publish(circular=circular_freeze(circular=correction, by=sysadmin), by=sysadmin)

    html = client.get(url).content.decode()
    assert "更正：十月总体平稳。" in html and "本通报已于" not in html
    history = html.split("本月通报版本")[1]
    assert "第 1 版" in history and "2026-11-20撤回" in history and REASON in history
    assert "第 2 版" in history and "现行" in history
    old = client.get(url, {"period": "2026-10", "version": "1"}).content.decode()
    assert "本通报已于2026年11月20日撤回。" in old and "查看更正后的通报（第 2 版）" in old
    assert "已撤回" not in client.get(reverse("public:index")).content.decode()
    assert client.get(department).status_code == 200
