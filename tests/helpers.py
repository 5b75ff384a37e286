from pathlib import Path

from evaluations.validators import uscc_check_char

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


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
