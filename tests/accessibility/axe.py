"""axe-core (Deque's engine, shipped inside the axe-playwright-python wheel, injected by the test: the
pages never load it and nothing comes from a CDN) run on a page; violations grouped by impact."""

from collections import Counter

from axe_playwright_python.sync_playwright import Axe

from .report import AXE_RESULTS

_AXE = Axe()
BLOCKING = {"serious", "critical"}


def axe_check(page, name: str) -> list[str]:
    """Run axe on ``page``; record the counts by impact under ``name``; return the serious and
    critical violations, one line each (rule, impact, the first offending elements)."""
    violations = _AXE.run(page).response["violations"]
    counts = Counter(v["impact"] for v in violations)
    minor = [v["id"] for v in violations if v["impact"] not in BLOCKING]
    AXE_RESULTS.append((name, dict(counts), minor))
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in violations
        if v["impact"] in BLOCKING
    ]
