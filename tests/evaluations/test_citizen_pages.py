"""The citizen rating pages (/r/<case token>/ and /r/w/<window token>/) through Django's test client."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import int_to_base36

from evaluations import ratelimit
from evaluations.models import Evaluation, ServiceMatter, ServiceRecord, Staff
from evaluations.services.duty import shift_end, shift_start
from evaluations.tokens import case_token, record_for_token

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]


def case_url(record, via: str = "") -> str:
    url = reverse("citizen:case_rate", kwargs={"token": case_token(record)})
    return f"{url}?via={via}" if via else url


def window_url(window) -> str:
    return reverse("citizen:window_rate", kwargs={"token": window.qr_token})


def rate_case(client, record, via: str = "", address: str = "10.0.0.1", **fields):
    data = {"matter-grade": 5, **fields}
    return client.post(case_url(record, via), data, REMOTE_ADDR=address)


def rate_window(client, window, address: str = "10.0.0.1", **fields):
    return client.post(window_url(window), {"rating-grade": 5, **fields}, REMOTE_ADDR=address)


def field_html(response, prefix: str, field: str) -> str:
    """The HTML of one field's container on the page (fieldset or div with id ``<prefix>-<field>``)."""
    html = response.content.decode()
    match = re.search(rf'<(fieldset|div) class="[^"]*" id="{prefix}-{field}">(.*?)</\1>', html, re.S)
    assert match, f"no field {prefix}-{field} on the page"
    return match.group(2)


def is_checked(response, name: str, value: str) -> bool:
    html = response.content.decode()
    inputs = re.findall(rf'<input[^>]*name="{name}" value="{value}"[^>]*>', html)
    assert len(inputs) == 1, f"no single input {name}={value}"
    return " checked" in inputs[0]


# ---- the signed link ------------------------------------------------------------------------------


def test_a_case_token_names_its_record_and_nothing_else(make_record):
    record = make_record()
    token = case_token(record)
    assert record_for_token(token) == record
    assert len(token) < 60 and re.fullmatch(r"[0-9a-z]+\.[\w-]+", token)
    body, signature = token.split(".")
    assert record_for_token(f"{body}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}") is None
    assert record_for_token(f"{int_to_base36(record.pk + 1)}.{signature}") is None
    assert record_for_token(signing.Signer(sep=".").sign(body)) is None  # another salt
    assert record_for_token("nonsense") is None and record_for_token("") is None


def test_a_tampered_or_mistyped_link_gets_a_chinese_not_found_page(client, make_record):
    url = case_url(make_record())
    assert client.get(url.rstrip("/"))["Location"] == url  # a link that lost its slash still works
    for path in (url[:-3] + "x/", "/r/", "/r/a/b/c", "/r/w/", "/r/w/x/y/z/"):
        response = client.get(path, follow=True)
        assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_the_page_shows_the_case_with_the_applicant_masked(client, make_record, org):
    record = make_record()
    page = client.get(case_url(record)).content.decode()
    department = org["zhanggong"]["department"].name
    assert all(
        text in page for text in ("个体工商户设立登记", department, "王**", record.serial_no, "提交评价")
    )
    assert "王小明" not in page
    assert timezone.localtime(record.completed_at).strftime("%Y年%-m月%-d日") in page
    assert "对工作人员的评价" in page  # a window case offers the staff block
    online = client.get(case_url(make_record(channel="online", window_code=None))).content.decode()
    assert "您对办理结果满意吗" in online and "对工作人员的评价" not in online


def test_an_expired_link_says_so_and_takes_nothing(client, make_record):
    record = make_record()
    ServiceRecord.objects.filter(pk=record.pk).update(rating_deadline=timezone.now() - timedelta(minutes=1))
    assert "评价期限已过" in client.get(case_url(record)).content.decode()
    response = rate_case(client, record)
    assert response.status_code == 410 and "评价期限已过" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_case_not_yet_completed_cannot_be_rated(client, make_record):
    record = make_record(status="accepted", completed_at=None)
    assert "办件尚未办结" in client.get(case_url(record)).content.decode()
    response = rate_case(client, record)  # a form kept open from before: the service's own words
    assert response.status_code == 422 and "办结后才能评价办理结果" in response.content.decode()
    assert not Evaluation.objects.exists()


# ---- rating a case ----------------------------------------------------------------------------


def test_a_good_rating_redirects_to_the_thank_you_page(client, make_record):
    record = make_record()
    response = rate_case(client, record, **{"matter-tags": ["M5-01"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("citizen:case_thanks", kwargs={"token": case_token(record)})
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.target, evaluation.stage) == (record, "matter", "completion")
    assert (evaluation.grade, evaluation.tags, evaluation.channel) == (5, ["M5-01"], "qr")
    assert evaluation.ip_address == "10.0.0.1" and not evaluation.flagged
    thanks = client.get(response["Location"]).content.decode()
    assert "感谢您的评价" in thanks and "我们会认真核实整改，并在规定时限内回复您" in thanks


def test_the_sms_link_records_the_sms_channel(client, make_record):
    page = client.get(case_url(make_record(), via="sms")).content.decode()
    assert 'action="/r/' in page and '?via=sms"' in page
    assert rate_case(client, make_record(), via="sms").status_code == 302
    assert Evaluation.objects.get().channel == "sms"


def test_a_bad_grade_without_reason_shows_the_error_next_to_the_tags(client, make_record):
    response = rate_case(
        client, make_record(), **{"matter-grade": 1, "staff-grade": 5, "staff-comment": "态度很好"}
    )
    assert response.status_code == 422
    tags = field_html(response, "matter", "tags")
    assert "请至少选择一个标签或填写评价内容" in tags
    assert '<a href="#matter-tags">去修改</a>' in response.content.decode()
    assert is_checked(response, "matter-grade", "1") and is_checked(response, "staff-grade", "5")
    assert "态度很好" in response.content.decode()  # the user's input is kept
    assert not Evaluation.objects.exists()


def test_a_tag_of_another_grade_is_refused_next_to_the_tags(client, make_record):
    response = rate_case(client, make_record(), **{"matter-grade": 4, "matter-tags": ["M5-01"]})
    assert "不适用于所选的评价等级" in field_html(response, "matter", "tags")
    assert is_checked(response, "matter-tags", "M5-01")
    assert not Evaluation.objects.exists()


def test_no_grade_at_all_asks_for_one(client, make_record):
    response = client.post(case_url(make_record()), {"matter-comment": "还行"})
    assert "请选择满意程度" in field_html(response, "matter", "grade")
    assert not Evaluation.objects.exists()


def test_a_second_rating_of_the_same_case_gets_the_already_rated_page(client, make_record):
    record = make_record()
    form = client.get(case_url(record)).content.decode()  # a second tab opened before the first rating
    client_id = re.search(r'name="matter-client_id" value="([^"]+)"', form).group(1)
    assert rate_case(client, record).status_code == 302
    response = rate_case(client, record, **{"matter-client_id": client_id, "matter-grade": 4})
    assert response.status_code == 409 and "该办件已经评价过了" in response.content.decode()
    assert "该办件已经评价过了" in client.get(case_url(record)).content.decode()
    assert Evaluation.objects.get().grade == 5


def test_a_resent_submission_is_answered_not_written_twice(client, make_record):
    record = make_record()
    client_id = re.search(r'value="(web-[0-9a-f]{32})"', client.get(case_url(record)).content.decode())[1]
    for _ in range(2):
        response = rate_case(client, record, **{"matter-client_id": client_id, "staff-grade": 5})
        assert response.status_code == 302
    assert Evaluation.objects.count() == 2  # the matter and the staff, once each


# ---- the staff block on a window case ------------------------------------------------------------


def test_the_staff_block_writes_a_second_rating(client, make_record, org):
    record = make_record()
    response = rate_case(client, record, **{"staff-grade": 2, "staff-tags": ["S2-01"]})
    assert response.status_code == 302
    rating = Evaluation.objects.get(target="staff")
    staff = org["zhanggong"]["staff"]
    assert (rating.record, rating.staff, rating.stage, rating.grade) == (record, staff, "completion", 2)
    assert Evaluation.objects.filter(target="matter").count() == 1


def test_a_refused_staff_rating_writes_neither(client, make_record):
    response = rate_case(client, make_record(), **{"staff-grade": 1})
    assert response.status_code == 422
    assert "请至少选择一个标签或填写评价内容" in field_html(response, "staff", "tags")
    assert "请至少选择" not in field_html(response, "matter", "tags")
    assert not Evaluation.objects.exists()


def test_staff_tags_without_a_staff_grade_are_questioned(client, make_record):
    response = rate_case(client, make_record(), **{"staff-tags": ["S5-01"]})
    assert "请选择满意程度" in field_html(response, "staff", "grade")
    assert not Evaluation.objects.exists()


# ---- the static window QR ---------------------------------------------------------------------------


def test_the_window_page_shows_the_hall_window_staff_on_duty_and_active_matters(client, org):
    side = org["zhanggong"]
    shift_start(staff=side["staff"], window=side["window"])
    page = client.get(window_url(side["window"])).content.decode()
    assert all(side[key].name in page for key in ("hall", "window", "staff", "matter"))
    assert client.get("/r/w/not-a-window/").status_code == 404
    ServiceMatter.objects.filter(pk=side["matter"].pk).update(active=False)
    assert side["matter"].name not in client.get(window_url(side["window"])).content.decode()
    shift_end(staff=side["staff"])  # nobody on duty: the page still rates, the window alone
    assert "暂无工作人员签到，本次评价计入窗口" in client.get(window_url(side["window"])).content.decode()


def test_a_window_rating_goes_to_the_staff_without_a_case(client, org):
    side = org["zhanggong"]
    shift_start(staff=side["staff"], window=side["window"])
    assert rate_window(client, side["window"]).status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.target, evaluation.channel) == (None, "staff", "qr")
    assert (evaluation.staff, evaluation.window, evaluation.matter) == (side["staff"], side["window"], None)


def test_a_window_rating_may_name_the_matter(client, org):
    side = org["zhanggong"]
    assert rate_window(client, side["window"], **{"rating-matter": side["matter"].pk}).status_code == 302
    assert Evaluation.objects.get().matter == side["matter"]


def test_a_matter_of_another_window_is_refused(client, org):
    response = rate_window(
        client, org["zhanggong"]["window"], **{"rating-matter": org["nankang"]["matter"].pk}
    )
    assert "请从列表中选择本窗口的事项" in field_html(response, "rating", "matter")
    assert not Evaluation.objects.exists()


def test_with_two_people_on_duty_the_citizen_says_who_served(client, org):
    side = org["zhanggong"]
    other = Staff.objects.create(
        name="李四", staff_no="S-li", department=side["department"], window=side["window"]
    )
    for person in (side["staff"], other):
        shift_start(staff=person, window=side["window"])
    assert "请选择为您服务的工作人员" in rate_window(client, side["window"]).content.decode()
    assert rate_window(client, side["window"], **{"rating-staff": other.pk}).status_code == 302
    assert Evaluation.objects.get().staff == other


# ---- abuse protection -------------------------------------------------------------------------------


def test_a_case_token_takes_five_posts_in_ten_minutes(client, make_record):
    record = make_record()
    for _ in range(ratelimit.TOKEN_LIMITS["case"]):
        assert rate_case(client, record, **{"matter-grade": 1}).status_code == 422
    response = rate_case(client, record, **{"matter-grade": 5}, address="10.0.0.2")
    assert response.status_code == 429 and "提交过于频繁，请稍后再试" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_an_address_takes_only_so_many_posts_in_ten_minutes(client, org, settings):
    settings.CITIZEN_ADDRESS_LIMIT = 20
    window = org["zhanggong"]["window"]
    for _ in range(settings.CITIZEN_ADDRESS_LIMIT):
        assert rate_window(client, window, **{"rating-grade": ""}).status_code == 422
    assert rate_window(client, org["nankang"]["window"]).status_code == 429
    assert rate_window(client, org["nankang"]["window"], address="10.0.0.9").status_code == 302
    assert Evaluation.objects.count() == 1


def test_a_burst_on_one_window_is_written_and_flagged(client, org):
    window = org["zhanggong"]["window"]
    for number in range(ratelimit.WINDOW_BURST + 1):
        assert rate_window(client, window, address=f"10.1.0.{number}").status_code == 302
    ratings = list(Evaluation.objects.order_by("pk"))
    assert [row.flagged for row in ratings] == [False] * ratelimit.WINDOW_BURST + [True]
    assert ratings[-1].flag_reason == "同一窗口 2 分钟内评价超过 5 次"


def test_a_burst_from_one_address_is_written_and_flagged_but_refusals_do_not_count(
    client, make_record, settings
):
    for _ in range(settings.CITIZEN_ADDRESS_BURST):
        assert rate_case(client, make_record(), **{"matter-grade": 1}).status_code == 422
    for _ in range(settings.CITIZEN_ADDRESS_BURST + 1):
        assert rate_case(client, make_record()).status_code == 302
    assert list(Evaluation.objects.order_by("pk").values_list("flagged", flat=True)) == [False] * 3 + [True]
    assert Evaluation.objects.get(flagged=True).flag_reason == "同一地址 2 分钟内评价超过 3 次"


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(client, org, settings):
    window = org["zhanggong"]["window"]
    forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}
    client.post(window_url(window), {"rating-grade": 5}, REMOTE_ADDR="10.0.0.1", **forwarded)
    settings.TRUST_X_FORWARDED_FOR = True
    client.post(window_url(window), {"rating-grade": 5}, REMOTE_ADDR="10.0.0.1", **forwarded)
    addresses = list(Evaluation.objects.order_by("pk").values_list("ip_address", flat=True))
    assert addresses == ["10.0.0.1", "203.0.113.7"]


def test_the_forms_keep_csrf_protection(make_record):
    browser = Client(enforce_csrf_checks=True)
    record = make_record()
    assert browser.post(case_url(record), {"matter-grade": 5}).status_code == 403
    page = browser.get(case_url(record)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(case_url(record), {"matter-grade": 5, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and Evaluation.objects.count() == 1
