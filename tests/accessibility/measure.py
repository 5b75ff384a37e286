"""What the care-mode tests measure in the browser: text sizes, line heights and tap targets.

The numbers come from evaluations.care (one definition, shared with the stylesheets' comments):
main text ≥ 18 px (24 px in care mode), line height ≥ 1.3, tap targets ≥ 44 × 44 px (60 × 60).

- Text: every visible element with text of its own, anywhere on the page (header, main, footer).
- Targets: links, buttons, selects, text areas and text inputs; a radio or checkbox is measured by its
  label, which is what a finger presses (the input itself sits inside it). A link inside a sentence is
  exempt (WCAG 2.5.8's inline exception): the sentence's line sets its height.
"""

from dataclasses import dataclass
from pathlib import Path

from evaluations.care import LINE_HEIGHT, MAIN_TEXT_PX, TAP_TARGET_PX

MEASURE = (Path(__file__).parent / "measure.js").read_text()


@dataclass(frozen=True)
class Finding:
    kind: str
    what: str
    value: object


def measure(page, *, care: bool) -> list[Finding]:
    index = 1 if care else 0
    rows = page.evaluate(MEASURE, [MAIN_TEXT_PX[index], TAP_TARGET_PX[index], LINE_HEIGHT])
    return [Finding(**row) for row in rows]


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no horizontal scrolling)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
