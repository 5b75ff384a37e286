"""Addresses with NUL or control characters answer 404 before any view runs (issue 14 point 2).

Every page that looks a path segment up in the database (``/public/region/<code>/``, ``/r/w/<token>/``)
used to answer 500 for ``%00``: PostgreSQL refuses NUL in a query parameter (``psycopg.DataError``).
No address of ours holds a control character, so the path is refused for any of them (C0, DEL, C1);
a query string only for NUL, the one character that breaks a query (views read ``?status=``,
``?hall=`` straight into filters), while a tab typed into a search box stays the form's business.
The JSON APIs under ``/api/`` are left to their own edge (evaluations/api/text_types.py): a NUL in a
path or query parameter there is a string like any other, refused with 422 ``nul_character`` in the
APIs' error shape (DESIGN §7), and an unknown API address is their JSON 404.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from evaluations.text import has_control, has_nul

API_PREFIX = "/api/"


class ControlCharacterURLMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX) and _refused(request):
            raise Http404("control character in the address")
        return self.get_response(request)


def _refused(request: HttpRequest) -> bool:
    if has_control(request.path_info) or has_control(request.path):
        return True
    return any(has_nul(key) or any(has_nul(v) for v in values) for key, values in request.GET.lists())
