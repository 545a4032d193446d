"""``drillcoach today``: today's queue as plain text, in the Today screen's words."""

from __future__ import annotations

import argparse
from typing import Any

from drillcoach.cli.shared import open_services, warn_skipped

LISTED = 12  # drills listed before "... and N more"


def register(commands: Any) -> None:
    today = commands.add_parser("today", help="today's queue as plain text")
    today.set_defaults(handler=_today)


def _today(args: argparse.Namespace) -> int:
    from drillcoach import text
    from drillcoach.today import gather_today

    services = open_services(args)
    try:
        today = gather_today(services.scheduler, services.library, services.config)
        queue = today.queue
        print(f"Today for {today.name}, {text.date_text(today.now)}")
        lines = [
            text.habit_line(today.habit),
            *today.coaching,
            text.headline(queue),
            *text.team_lines(today, services.library),
            *text.leech_lines(queue),
        ]
        if today.due_tomorrow is not None:
            lines.append(text.tomorrow_line(today.due_tomorrow, today.new_per_day))
            lines.append(
                "Want more today? Turn on more packs ('p' in drillcoach) or raise the daily "
                "limit: drillcoach config set new_per_day 10"
            )
        for line in lines:
            print(f"  {line}")
        if queue.items:
            print()
            for number, item in enumerate(queue.items[:LISTED], 1):
                pack = services.library.packs[item.drill.pack_id]
                tag = text.queue_tag(item)
                print(f"  {number:>2}. {tag:<5} {item.drill.kind:<10} {item.drill.title}  "
                      f"[{pack.title}]")  # fmt: skip
            if len(queue.items) > LISTED:
                print(f"      ... and {len(queue.items) - LISTED} more")
            print()
            print("Start the session with: drillcoach")
        if today.team is not None and today.team.problem is None:
            print()
            print(text.sharing_line(today.team.share_answers, today.team.manager))
        warn_skipped(services.library)
        return 0
    finally:
        services.close()
