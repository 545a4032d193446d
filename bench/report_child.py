"""One run of bench/team_report.py, in a process of its own: the director's services opened
on a fixed clock, then ``drillcoach report --team``'s own function writing the report in
a format to a file (and beside it, in OUT.children, the peak memory in KiB of the largest
process it started); with no format, the baseline: everything opened, no report.

    python -m bench.report_child HOME NOW OUT [FORMAT]
"""

from __future__ import annotations

import resource
import sys
from datetime import UTC, datetime
from pathlib import Path


def main(argv: list[str]) -> int:
    home, now_text, out, *form = argv
    now = datetime.fromisoformat(now_text)
    from drillcoach.services import open_services

    services = open_services(Path(home), clock=lambda: now, tz=UTC)
    try:
        if form:
            from drillcoach.cli.report import _team_report

            report = _team_report(services, form[0])  # type: ignore[arg-type]
            Path(out).write_text(report, encoding="utf-8")
            # the peak RSS of the largest process it started to read reps apart, in KiB
            largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            Path(f"{out}.children").write_text(str(largest), encoding="utf-8")
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
