"""Results of the browser accessibility checks, printed at the end of the run (tests/conftest.py's
``pytest_terminal_summary``): one line per page × size × mode, with what failed."""

RESULTS: list[tuple[str, str, str, list]] = []
# axe-core: (page, {impact: count}, ids of the minor and moderate rules seen)
AXE_RESULTS: list[tuple[str, dict[str, int], list[str]]] = []


def summary_lines() -> list[str]:
    if not RESULTS:
        return []
    lines = [f"{'page':<20}{'width':>6}  {'mode':<7}findings"]
    for name, width, mode, findings in RESULTS:
        detail = "; ".join(f"{f.kind} {f.what} {f.value}" for f in findings) if findings else "0"
        lines.append(f"{name:<20}{width:>6}  {mode:<7}{detail}")
    return lines


def axe_lines() -> list[str]:
    if not AXE_RESULTS:
        return []
    impacts = ("critical", "serious", "moderate", "minor")
    lines = [f"{'page':<28}" + "".join(f"{impact:>10}" for impact in impacts) + "  rules (moderate, minor)"]
    for name, counts, minor in AXE_RESULTS:
        figures = "".join(f"{counts.get(impact, 0):>10}" for impact in impacts)
        lines.append(f"{name:<28}{figures}  {', '.join(sorted(set(minor))) or '-'}")
    return lines
