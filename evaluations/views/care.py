"""The 长辈版 switch (evaluations.care): a plain link, so it works without JavaScript on any phone.

``/care/?on=1&next=/r/…/`` remembers the choice in a cookie and goes back to the page it came from
(the same signed link: the token is in ``next``, which must be a path on this site).
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from ..care import COOKIE, COOKIE_AGE


@require_GET
def care_switch(request: HttpRequest) -> HttpResponseRedirect:
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ) or not target.startswith("/"):
        target = "/public/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(COOKIE, "1", max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
