"""Staff who switch to English get English text (issue 17, point 4): the catalogue in locale/en is
complete and compiled, so refusals, page titles and SMS texts come out translated."""

import pytest
from django.test import Client
from django.utils import translation

from evaluations.refusals import MESSAGES


def test_a_refusal_message_comes_out_in_english():
    _status, message = MESSAGES["window_closed"]
    with translation.override("en"):
        assert str(message) % {"days": 15} == (
            "The rating period for this case has expired "
            "(ratings are accepted within 15 working days of completion)."
        )
    with translation.override("zh-hans"):
        assert "评价期限已过" in str(message)


def test_an_sms_text_comes_out_in_english():
    # The revisit SMS of workorders/services/revisit_link.py.
    with translation.override("en"):
        body = translation.gettext(
            "【政务服务好差评】%(department)s已就您的评价完成整改，请告诉我们您是否满意：%(link)s"
        )
    assert body.startswith("[Gov Service Review] %(department)s has completed the rectification")


def test_plural_forms_are_translated():
    with translation.override("en"):
        one = translation.ngettext("%(n)s 次", "%(n)s 次", 1) % {"n": 1}
        many = translation.ngettext("%(n)s 次", "%(n)s 次", 3) % {"n": 3}
    assert (one, many) == ("1 time", "3 times")


@pytest.mark.django_db
def test_the_login_page_title_comes_out_in_english():
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/login/").text
    assert "<title>Log in" in page and "Staff login" in page
    with translation.override("en"):
        assert translation.gettext("工作人员登录") == "Staff login"
