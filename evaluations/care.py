"""关怀模式 (长辈版): larger text and targets on every page a citizen or the public opens.

The MIIT 适老化 design rules (《互联网网站适老化通用设计规范》) ask for a visible switch that is
remembered; here a cookie, so no login is needed and the choice follows the person from the case link
to the public pages on the same phone. The numbers the pages are held to (tests/accessibility) are the
constants below; the stylesheets use the same ones (citizen.css, public.css: ``html.care``).
"""

from django.http import HttpRequest

COOKIE = "care"
COOKIE_AGE = 365 * 24 * 3600  # a year: an older reader should not have to switch it on every visit

# Minimum sizes in CSS pixels: (normal, care mode).
MAIN_TEXT_PX = (18, 24)
TAP_TARGET_PX = (44, 60)
LINE_HEIGHT = 1.3


def care_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def care_mode(request: HttpRequest) -> dict[str, bool]:
    """Template context processor: ``care`` is true while the reader has 长辈版 switched on."""
    return {"care": care_on(request)}
