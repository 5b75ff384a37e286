"""A circular's lifecycle (issue 16 §2): freeze, publish, withdraw with a reason, correct with a new version
that replaces it; and the database refusing any change of a frozen circular (migration reporting 0011),
even to the owner."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from reporting.circulars.service import (
    circular_correct,
    circular_draft_save,
    circular_freeze,
    circular_generate,
    circular_publish,
    circular_withdraw,
)
from reporting.models import Circular
from reporting.periods import Period

from ..db_roles import as_owner

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")


@pytest.fixture
def published(regions, october, sysadmin) -> Circular:
    draft = circular_generate(region=regions["city"], period=OCT)
    circular_draft_save(circular=draft, number=draft.number, narrative="原文", case_orders=[], by=sysadmin)
    return circular_publish(circular=circular_freeze(circular=draft, by=sysadmin), by=sysadmin)


def refused(**changes) -> None:
    """As the app and as the owner: the UPDATE of the one circular is refused."""
    with pytest.raises(DatabaseError), transaction.atomic():
        Circular.objects.update(**changes)
    with pytest.raises(DatabaseError), transaction.atomic(), as_owner():
        Circular.objects.update(**changes)


def test_a_draft_cannot_be_published_before_it_is_frozen(regions, october, sysadmin):
    draft = circular_generate(region=regions["city"], period=OCT)
    with pytest.raises(ValidationError, match="请先冻结"):
        circular_publish(circular=draft, by=sysadmin)
    assert Circular.objects.get().state == "draft"


def test_freezing_needs_a_number_not_used_by_another_month(regions, october, sysadmin):
    september = circular_freeze(
        circular=circular_generate(region=regions["city"], period=Period.parse("2026-09")), by=sysadmin
    )
    draft = circular_generate(region=regions["city"], period=OCT)
    circular_draft_save(circular=draft, number="", narrative="", case_orders=[], by=sysadmin)
    with pytest.raises(ValidationError, match="请先填写通报文号"):
        circular_freeze(circular=draft, by=sysadmin)
    circular_draft_save(circular=draft, number=september.number, narrative="", case_orders=[], by=sysadmin)
    with pytest.raises(ValidationError, match="已用于"):
        circular_freeze(circular=draft, by=sysadmin)
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.frozen_at is None


def test_the_text_changes_in_the_draft_and_never_after_freezing(regions, october, sysadmin):
    draft = circular_generate(region=regions["city"], period=OCT)
    Circular.objects.update(narrative="草稿里可以改")  # the trigger lets a draft's text change
    refused(data={})  # …but never its figures
    circular_freeze(circular=draft, by=sysadmin)
    refused(narrative="冻结后改正文")
    refused(number="赣市政管通〔2026〕99号")
    refused(cases=[{"number": "X"}])
    refused(state="draft")  # the state moves only forward
    refused(frozen_at=timezone.now())
    with pytest.raises(ValidationError, match="不能再修改"):
        circular_draft_save(circular=draft, number="x", narrative="y", case_orders=[], by=sysadmin)
    draft.refresh_from_db()
    assert (draft.narrative, draft.state) == ("草稿里可以改", "frozen")


def test_a_frozen_circular_cannot_be_deleted_a_draft_can(regions, october, sysadmin):
    circular_generate(region=regions["city"], period=OCT).delete()
    frozen = circular_freeze(circular=circular_generate(region=regions["city"], period=OCT), by=sysadmin)
    with pytest.raises(DatabaseError), transaction.atomic(), as_owner():
        Circular.objects.filter(pk=frozen.pk).delete()
    assert Circular.objects.filter(pk=frozen.pk).exists()


def test_withdrawing_requires_a_reason(published, sysadmin):
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="请填写撤回原因"):
            circular_withdraw(circular=published, reason=reason, by=sysadmin)
    refused(state="withdrawn", withdrawn_at=timezone.now())  # the check constraint: no reason, no withdrawal
    published.refresh_from_db()
    assert published.state == "published" and published.withdrawn_at is None


def test_a_withdrawal_is_written_once_and_fixed(published, sysadmin):
    circular_withdraw(circular=published, reason="南康区数据重复统计", by=sysadmin)
    published.refresh_from_db()
    assert (published.state, published.withdraw_reason, published.withdrawn_by) == (
        "withdrawn", "南康区数据重复统计", sysadmin,
    )  # fmt: skip
    refused(withdraw_reason="改个原因")
    refused(state="published")
    refused(published_at=None)
    with pytest.raises(ValidationError, match="只有已公开的通报才能撤回"):
        circular_withdraw(circular=published, reason="再撤一次", by=sysadmin)


def test_a_correction_is_the_next_version_with_the_withdrawn_text_and_replaces_it(
    published, regions, sysadmin
):
    with pytest.raises(ValidationError, match="只有已撤回的通报才能更正"):
        circular_correct(circular=published, by=sysadmin)
    second = circular_generate(region=regions["city"], period=OCT)
    second = circular_freeze(circular=second, by=sysadmin)
    with pytest.raises(ValidationError, match="第 1 版通报正在公开"):
        circular_publish(circular=second, by=sysadmin)  # one public version of a month at a time

    circular_withdraw(circular=published, reason="数据有误", by=sysadmin)
    correction = circular_correct(circular=published, by=sysadmin)
    assert circular_correct(circular=published, by=sysadmin) == correction  # asking twice: the same draft
    assert (correction.version, correction.state, correction.corrects) == (3, "draft", published)
    assert (correction.number, correction.narrative) == (published.number, "原文")
    circular_draft_save(
        circular=correction, number=correction.number, narrative="更正后的正文", case_orders=[], by=sysadmin
    )
    circular_publish(circular=circular_freeze(circular=correction, by=sysadmin), by=sysadmin)
    states = dict(Circular.objects.values_list("version", "state"))
    assert states == {1: "withdrawn", 2: "frozen", 3: "published"}
    refused(corrects=None)


def test_withdrawing_on_the_page_without_a_reason_says_so_next_to_the_field(client, published, city_office):
    client.force_login(city_office)
    url = reverse("reporting:circular_withdraw", args=[published.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "请填写撤回原因，公众将在专区看到该原因" in response.content.decode()
    assert Circular.objects.get().state == "published"
    assert client.post(url, {"reason": "数据有误"}).status_code == 302
    page = client.get(reverse("reporting:circular", args=[published.pk])).content.decode()
    assert "撤回原因：数据有误" in page and "生成更正版本" in page
    response = client.post(reverse("reporting:circular_correct", args=[published.pk]))
    correction = Circular.objects.get(version=2)
    assert response.status_code == 302 and response.url == reverse(
        "reporting:circular_edit", args=[correction.pk]
    )


def test_another_office_cannot_withdraw(client, published, owner, outsider):
    for user, status in ((owner, 404), (outsider, 404)):  # 章贡区 and 南康区 offices do not see the city's
        client.force_login(user)
        assert (
            client.post(
                reverse("reporting:circular_withdraw", args=[published.pk]), {"reason": "x"}
            ).status_code
            == status
        )
    assert Circular.objects.get().state == "published"
