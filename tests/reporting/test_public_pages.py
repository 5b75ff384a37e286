"""The public disclosure pages (好差评专区): only published circulars, no evaluator or staff detail,
the department's reply once approved, cacheable, 404 for anything unknown or unpublished."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluations.models import Policy
from reporting.circulars.service import circular_generate, circular_withdraw
from reporting.periods import Period
from workorders.models import State

from .reporting_fixtures import TZ, order, publish_month, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")
SECRET_COMMENT = "工作人员李四态度恶劣，我的身份证号360702199001011234"
REPLY = "已对窗口人员进行批评教育，并补充一次性告知清单。"


@pytest.fixture
def published(regions, org, sysadmin):
    """赣州市's October circular, published; 章贡区 has two bad reviews, one rectified and replied."""
    Policy.from_preset("tianjin", region=regions["city"], min_sample=1).save()
    side = org["zhanggong"]
    rate(side, 5)
    rate(side, 4)
    replied = order(
        rate(side, 1, real_name=True, tags=["M1-02"], comment=SECRET_COMMENT),
        state=State.CLOSED, rectified=True, revisit="satisfied",
    )  # fmt: skip
    replied.reply = "钱七您好，" + REPLY + "如有疑问请致电高小红同志 13912345678。"
    replied.public_reply, replied.public_reply_at = REPLY, replied.approved_at  # the office's version
    replied.rectification = "内部整改记录：约谈窗口负责人"
    replied.save(update_fields=["reply", "public_reply", "public_reply_at", "rectification"])
    pending = order(rate(side, 2, tags=["M1-03"], comment="留言"), state=State.REVIEWING, rectified=True)
    pending.reply = "尚在审核的答复"
    pending.save(update_fields=["reply"])
    rate(org["nankang"], 5)
    rebuild()
    return publish_month(regions["city"], OCT, sysadmin)


def test_the_index_lists_only_regions_with_a_published_circular(client, regions, published):
    circular_generate(region=regions["nankang"], period=OCT)  # generated but not published
    response = client.get(reverse("public:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "赣州市" in html and reverse("public:region", args=[regions["city"].code]) in html
    assert reverse("public:region", args=[regions["nankang"].code]) not in html
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_an_unpublished_circular_is_not_shown(client, regions, published):
    circular_generate(region=regions["nankang"], period=OCT)
    assert client.get(reverse("public:region", args=[regions["nankang"].code])).status_code == 404
    assert client.get(reverse("public:region", args=["999999999999"])).status_code == 404
    assert client.get(reverse("public:department", args=["NO-SUCH-CODE"])).status_code == 404


def test_a_newer_unpublished_version_does_not_replace_the_published_one(client, regions, org, published):
    rate(org["zhanggong"], 1)
    rebuild()
    circular_generate(region=regions["city"], period=OCT)  # version 2, not published: 5 → 6 ratings
    html = client.get(reverse("public:region", args=[regions["city"].code])).content.decode()
    assert "评价 5 次" in html and "评价 6 次" not in html


def test_the_region_page_shows_the_figures_and_the_departments(client, regions, org, published):
    response = client.get(reverse("public:region", args=[regions["city"].code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "赣州市2026年10月政务服务“好差评”情况" in html
    for label in ("综合评分", "好评率", "差评率", "未评率", "主动评价率", "差评整改率", "整改回访满意率"):
        assert label in html
    assert "章贡区市场监督管理局" in html and "南康区" in html
    assert reverse("public:department", args=[org["zhanggong"]["department"].code]) in html
    assert "max-age=300" in response["Cache-Control"]


def test_a_department_not_in_any_published_circular_is_not_found(client, regions, org, published):
    assert (
        client.get(reverse("public:department", args=[org["nankang"]["department"].code])).status_code == 200
    )
    assert (
        client.get(reverse("public:department", args=[org["zhanggong"]["department"].code + "X"])).status_code
        == 404
    )


def test_the_department_page_lists_its_bad_reviews_without_evaluator_detail(client, org, published):
    response = client.get(reverse("public:department", args=[org["zhanggong"]["department"].code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "差评及整改情况（2 件）" in html
    assert "2026-10-15" in html and "个体工商户设立登记" in html and "非常不满意" in html
    assert "需提供办事指南之外的申报材料" in html  # the tag text is published…
    assert SECRET_COMMENT not in html and "留言" not in html.split("差评及整改情况")[1].split("pub-foot")[0]
    assert "13812345678" not in html and "138****5678" not in html  # …never the evaluator
    assert "张三" not in html  # nor the staff
    assert "已办结" in html and "整改待审核" in html
    assert REPLY in html  # the office's public version is published…
    assert "钱七" not in html and "高小红" not in html and "139****5678" not in html  # …not the reply
    assert "尚在审核的答复" not in html and "内部整改记录" not in html
    assert "不公开评价人的姓名、联系方式和评价留言原文" in html
    assert "public" in response["Cache-Control"]


def test_the_reviews_are_paginated_twenty_to_a_page(client, org, regions, sysadmin, published):
    for _ in range(20):
        order(rate(org["zhanggong"], 1, tags=["M1-01"]))
    rebuild()
    # A month has one public version at a time: the first is withdrawn before the second is published.
    circular_withdraw(circular=published, reason="补充遗漏的差评", by=sysadmin)
    publish_month(regions["city"], OCT, sysadmin)
    url = reverse("public:department", args=[org["zhanggong"]["department"].code])
    first = client.get(url).content.decode()
    assert first.count('class="pub-review"') == 20 and "第 1 / 2 页" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="pub-review"') == 2


def test_the_public_pages_need_no_login_and_keep_no_session(client, regions, published):
    response = client.get(reverse("public:region", args=[regions["city"].code]))
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_issue14_the_public_version_is_shown_with_phone_and_id_numbers_masked(
    client, org, regions, sysadmin, published
):
    replied = order(
        rate(org["zhanggong"], 1, tags=["M1-01"]), state=State.CLOSED, rectified=True, revisit="satisfied"
    )
    # Set directly, as if a number slipped past the service (which masks it): the page masks it again.
    replied.reply = replied.public_reply = (
        "已整改，如有疑问请致电 13912345678，经办人身份证 360702199001011234。"
    )
    replied.public_reply_at = replied.approved_at
    replied.save(update_fields=["reply", "public_reply", "public_reply_at"])
    html = client.get(
        reverse("public:department", args=[org["zhanggong"]["department"].code])
    ).content.decode()
    assert "13912345678" not in html and "360702199001011234" not in html
    assert "139****5678" in html and "360702********1234" in html and "已整改，如有疑问请致电" in html
    assert "电话号码和身份证号码已隐去部分数字" in html


def test_only_bad_reviews_of_the_published_months_are_listed(client, org, regions, sysadmin, published):
    side = org["zhanggong"]
    order(rate(side, 1, tags=["M1-01"], at=dt.datetime(2026, 9, 30, 23, 59, tzinfo=TZ)))  # before October
    order(rate(side, 1, tags=["M1-01"], at=dt.datetime(2026, 11, 1, 0, 0, 30, tzinfo=TZ)))  # after it
    url = reverse("public:department", args=[side["department"].code])
    html = client.get(url).content.decode()
    assert "差评及整改情况（2 件）" in html and "2026-09-30" not in html and "2026-11-01" not in html
    # Publishing September's circular as well extends the list back to 1 September.
    rebuild()
    publish_month(regions["city"], Period.parse("2026-09"), sysadmin)
    html = client.get(url).content.decode()
    assert "差评及整改情况（3 件）" in html and "2026-09-30" in html and "2026-11-01" not in html


def test_one_address_is_limited_with_a_chinese_429(client, settings):
    from django.core.cache import cache

    settings.PUBLIC_ADDRESS_LIMIT = 2
    address = "203.0.113.7"
    cache.delete(f"public:rl:{address}")
    url = reverse("public:index")
    assert [client.get(url, REMOTE_ADDR=address).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url, REMOTE_ADDR=address)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "访问过于频繁" in refused.content.decode()
    assert "public" not in refused.get("Cache-Control", "")  # a refusal is never cached downstream
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200  # other addresses are served
    cache.delete(f"public:rl:{address}")


def test_issue14_an_approved_rectification_without_a_public_version_shows_no_reply_text(
    client, org, published
):
    replied = order(
        rate(org["zhanggong"], 1, tags=["M1-01"]), state=State.CLOSED, rectified=True, revisit="satisfied"
    )
    replied.reply = "钱七您好，已由高小红同志电话联系您并致歉。"
    replied.save(update_fields=["reply"])
    html = client.get(
        reverse("public:department", args=[org["zhanggong"]["department"].code])
    ).content.decode()
    assert "答复已送达评价人。" in html
    assert "钱七" not in html and "高小红" not in html and "电话联系您并致歉" not in html
    assert REPLY in html  # the other order's approved public version is still there
