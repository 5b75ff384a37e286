"""A bad date on a management command's line is a usage error with a message, never a traceback."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    "argv", [["workdays", "add", "2026-13-01", "3"], ["ratings", "verify", "--from", "2026-11-31"]]
)
def test_a_bad_command_line_date_is_a_usage_error(argv):
    with pytest.raises(CommandError, match="not a date"):
        call_command(*argv)
    run = subprocess.run([sys.executable, "manage.py", *argv], capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "not a date (YYYY-MM-DD)" in run.stderr
    assert "Traceback" not in run.stderr
