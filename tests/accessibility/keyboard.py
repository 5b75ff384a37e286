"""Walking a page with the keyboard alone: Tab until an element is focused, checking on the way that
every focused element shows where the focus is (an outline or a ring, never nothing)."""

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  const text = (e.innerText || e.value || e.getAttribute("aria-label") || label || "").trim();
  return {tag: e.tagName.toLowerCase(), text: text.slice(0, 40), label: label.trim(), ring};
}"""


def tab_to(page, text: str, *, tag: str | None = None, limit: int = 120) -> dict:
    """Press Tab until the focused element's text (or its label) starts with ``text``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["ring"], f"focus not visible on {focused}"
        seen.append(focused["text"])
        if (focused["text"].startswith(text) or focused["label"].startswith(text)) and (
            tag is None or focused["tag"] == tag
        ):
            return focused
    raise AssertionError(f"{text!r} never took the focus; focus went through {seen}")
