"""Results of the browser accessibility checks, printed at the end of the run (tests/conftest.py's
``pytest_terminal_summary``): one line per page × size × mode, with what failed."""

RESULTS: list[tuple[str, str, str, list]] = []


def summary_lines() -> list[str]:
    if not RESULTS:
        return []
    lines = [f"{'page':<20}{'width':>6}  {'mode':<7}findings"]
    for name, width, mode, findings in RESULTS:
        detail = "; ".join(f"{f.kind} {f.what} {f.value}" for f in findings) if findings else "0"
        lines.append(f"{name:<20}{width:>6}  {mode:<7}{detail}")
    return lines
