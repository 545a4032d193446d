"""``drillcoach today``: today's queue as plain text, in the Today screen's words."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from drillcoach.cli.shared import add_json_option, open_services, print_json, warn_skipped

if TYPE_CHECKING:
    from drillcoach.content import Library
    from drillcoach.today import Today

LISTED = 12  # drills listed before "... and N more"


def register(commands: Any) -> None:
    today = commands.add_parser("today", help="today's queue as plain text")
    add_json_option(today, "the queue and its lines")
    today.set_defaults(handler=_today)


def _today(args: argparse.Namespace) -> int:
    from drillcoach import text
    from drillcoach.today import gather_today

    services = open_services(args)
    try:
        today = gather_today(services.scheduler, services.library, services.config)
        queue = today.queue
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
        team = today.team
        sharing = (
            text.sharing_line(team.share_answers, team.manager)
            if team is not None and team.problem is None
            else None
        )
        if args.json:
            said = lines + ([sharing] if sharing else [])
            print_json(_as_json(today, said, services.library))
            warn_skipped(services.library)
            return 0
        print(f"Today for {today.name}, {text.date_text(today.now)}")
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
        if sharing is not None:
            print()
            print(sharing)
        warn_skipped(services.library)
        return 0
    finally:
        services.close()


def _as_json(today: Today, lines: list[str], library: Library) -> dict[str, Any]:
    """Today for a script: the headline's figures, every drill of the queue (not only the
    first twelve) and the lines the text says around them."""
    from drillcoach import text

    queue = today.queue
    drills = [
        {"uid": item.drill.uid, "kind": item.drill.kind, "title": item.drill.title,
         "pack": item.drill.pack_id, "pack_title": library.packs[item.drill.pack_id].title,
         "tag": text.queue_tag(item), "due": item.state.due}
        for item in queue.items
    ]  # fmt: skip
    return {
        "name": today.name,
        "now": today.now,
        "due": queue.due_count,
        "new": queue.new_count,
        "minutes": queue.minutes,
        "more_due": queue.more_due,
        "done_today": queue.done_today,
        "due_tomorrow": today.due_tomorrow,
        "habit": today.habit,
        "drills": drills,
        "lines": lines,
    }
