"""Issue 14, point 1 on the pages: the citizen case page's client_id belongs to its case (every link
to a case — receipt QR, SMS — is its applicant's), the window QR page's to its window, and the desk
form's to the user entering it. Same sender, key and body → answered once; another body → refused."""

import re

import pytest
from django.urls import reverse

from evaluations.models import ClientKey, Evaluation, Role, User
from evaluations.tokens import case_token

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]


def client_id_of(html: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}client_id" value="(web-[0-9a-f]{{32}})"', html)[1]


def case_url(record) -> str:
    return reverse("citizen:case_rate", kwargs={"token": case_token(record)})


def window_url(window) -> str:
    return reverse("citizen:window_rate", kwargs={"token": window.qr_token})


def test_issue14_a_case_pages_client_id_sent_to_another_case_rates_that_case(client, make_record):
    first, second = make_record(), make_record()
    client_id = client_id_of(client.get(case_url(first)).text, "matter-")
    answers = [
        client.post(case_url(record), {"matter-client_id": client_id, "matter-grade": grade})
        for record, grade in ((first, 5), (second, 3))
    ]
    assert [answer.status_code for answer in answers] == [302, 302]
    assert sorted(Evaluation.objects.values_list("record__serial_no", "grade")) == [
        (first.serial_no, 5),
        (second.serial_no, 3),
    ]
    assert set(ClientKey.objects.values_list("sender_kind", "sender_id")) == {
        ("case", str(first.pk)),
        ("case", str(second.pk)),
    }


def test_issue14_the_window_qr_answers_a_resent_form_once_and_refuses_a_changed_one(client, org):
    window = org["zhanggong"]["window"]
    client_id = client_id_of(client.get(window_url(window)).text, "rating-")
    form = {"rating-client_id": client_id, "rating-grade": 4}
    assert client.post(window_url(window), form).status_code == 302
    assert client.post(window_url(window), form).status_code == 302  # a double tap: answered
    changed = client.post(window_url(window), {**form, "rating-grade": 5})
    assert changed.status_code == 409 and "已用于一条内容不同的评价" in changed.text
    assert list(Evaluation.objects.values_list("grade", flat=True)) == [4]


def test_issue14_two_windows_using_the_same_client_id_get_a_rating_each(client, org):
    client_id = client_id_of(client.get(window_url(org["zhanggong"]["window"])).text, "rating-")
    for side in ("zhanggong", "nankang"):
        response = client.post(
            window_url(org[side]["window"]), {"rating-client_id": client_id, "rating-grade": 4}
        )
        assert response.status_code == 302
    assert sorted(Evaluation.objects.values_list("window__code", flat=True)) == ["W-nankang", "W-zhanggong"]


# ---- the desk: the entering user -----------------------------------------------------------------


@pytest.fixture
def agents(regions, org) -> list[User]:
    return [
        User.objects.create_user(username=name, password="x", role=Role.HOTLINE, region=regions["zhanggong"])
        for name in ("agent", "agent2")
    ]


def enter(client, **fields):
    data = {"channel": "phone", "target": "matter", "stage": "completion", "grade": "5", **fields}
    return client.post("/desk/entry/", data)


def test_issue14_a_desk_form_sent_twice_is_entered_once(client, agents, make_record):
    first, second = make_record(), make_record()
    client.force_login(agents[0])
    client_id = client_id_of(client.get("/desk/entry/").text, "")
    for _ in range(2):  # a double click
        assert enter(client, serial_no=first.serial_no, client_id=client_id).status_code == 302
    assert Evaluation.objects.filter(record=first).count() == 1
    changed = enter(client, serial_no=second.serial_no, client_id=client_id)  # an old form, edited
    assert changed.status_code == 422 and "已用于一条内容不同的评价" in changed.text
    assert not Evaluation.objects.filter(record=second).exists()
    # The page offers a fresh key, so sending it once more is a new entry.
    assert client_id_of(changed.text, "") != client_id
    assert (
        enter(client, serial_no=second.serial_no, client_id=client_id_of(changed.text, "")).status_code == 302
    )
    assert Evaluation.objects.filter(record=second).count() == 1


def test_issue14_another_users_client_id_is_their_own_entry(client, agents, org):
    window = org["zhanggong"]["window"]
    client.force_login(agents[0])
    client_id = client_id_of(client.get("/desk/entry/").text, "")
    for agent in agents:
        client.force_login(agent)
        response = enter(client, window=window.pk, target="staff", window_only="on", client_id=client_id)
        assert response.status_code == 302
    assert sorted(Evaluation.objects.values_list("entered_by__username", flat=True)) == ["agent", "agent2"]
