"""The digest reaches matplotlib only when it draws a chart: a process that never draws one
does not pay for it (about 50 MiB with numpy)."""

from __future__ import annotations

import subprocess
import sys


def test_the_digest_does_not_import_matplotlib_until_a_chart_is_drawn() -> None:
    probe = (
        "import sys, bot.digest.chart, bot.digest.delivery, bot.digest.service; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
