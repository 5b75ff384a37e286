"""One careful JSON POST over urllib for the outside systems we talk to (SMS gateway, provincial
platform): no redirects followed, a bounded answer, and every failure turned into ``error`` with a
Chinese message that names the peer."""

import http.client
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext as _


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET and may carry the key elsewhere: treat it as an error.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(
    request: urllib.request.Request, *, timeout: float, peer: str, max_bytes: int, error: type[Exception]
) -> bytes:
    """The body of a 2xx answer to ``request``; anything else raises ``error``."""
    try:
        with _opener.open(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise error(_("%(peer)s返回 HTTP %(status)s") % {"peer": peer, "status": response.status})
            return response.read(max_bytes)
    except urllib.error.HTTPError as exc:
        detail = exc.read(200).decode(errors="replace").strip()
        text = _("%(peer)s返回 HTTP %(status)s") % {"peer": peer, "status": exc.code}
        raise error(f"{text}：{detail}" if detail else text) from exc
    except urllib.error.URLError as exc:  # before OSError: it is one
        if isinstance(exc.reason, TimeoutError):
            raise error(_timeout_text(peer, timeout)) from exc
        raise error(_("无法连接%(peer)s：%(reason)s") % {"peer": peer, "reason": exc.reason}) from exc
    except TimeoutError as exc:
        raise error(_timeout_text(peer, timeout)) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise error(_("与%(peer)s的连接中断：%(error)s") % {"peer": peer, "error": repr(exc)}) from exc


def _timeout_text(peer: str, timeout: float) -> str:
    return _("%(peer)s超时（%(seconds)s 秒）") % {"peer": peer, "seconds": f"{timeout:g}"}
