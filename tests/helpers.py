import os
from datetime import datetime, time
from pathlib import Path

from django.utils import timezone

from evaluations.validators import uscc_check_char
from evaluations.workdays import add_working_days

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def working_days_ago(n: int, hour: int = 10) -> datetime:
    """``hour`` o'clock (Beijing) on the n-th working day before today: past any window of fewer than n
    working days, holidays or not (calendar days are not: 14 days before 8 October is inside a 5-day
    window that the National Day holiday stretches)."""
    day = add_working_days(timezone.localdate(), -n)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_uscc(region_code: str, number: int) -> str:
    """A unified social credit code with a correct check character."""
    first17 = f"11{region_code[:6]}TR{number:07d}"
    return first17 + uscc_check_char(first17)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def docs_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """A screenshot under test-artifacts/; with UPDATE_SCREENSHOTS=1 also the README's copy in docs/.

    Test runs leave the tracked docs/screenshots/ alone unless asked, so a clone stays clean.
    """
    path = screenshot(page, name)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), full_page=full_page)
    return path


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login page, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
