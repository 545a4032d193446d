"""``drillcoach packs lint``: the content lint over every pack drillcoach loads."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_lint(actions: Any) -> None:
    """The ``lint`` action of ``drillcoach packs``."""
    lint = actions.add_parser(
        "lint",
        help="check what packs say: model answers against their limits, repeated phrases, "
        "real company names, facts against fact sheets (exit 1 if any finding)",
    )
    lint.add_argument("--pack", metavar="ID", help="lint one loaded pack (default: every one)")
    lint.set_defaults(handler=_lint)


def _lint(args: argparse.Namespace) -> int:
    """Findings print as '<pack>/<drill>: <finding>', in the library's order."""
    from drillcoach.cli.shared import loaded_pack, warn_skipped
    from drillcoach.config import load_config, resolve_paths
    from drillcoach.content.lint import companies_folder, lint_library, read_rules, rules_path
    from drillcoach.services import load_packs
    from drillcoach.tomlcheck import Problem

    paths = resolve_paths(args.home)
    config = load_config(paths)
    library = load_packs(paths, config)
    if args.pack is not None:
        loaded_pack(library, args.pack)  # one line when it is not loaded
    problems: list[Problem] = []
    rules = read_rules(rules_path(), problems)
    if rules is None:
        for problem in problems:
            print(problem)
        return 1
    findings = lint_library(
        library,
        rules,
        default_time_limit=config.default_time_limit,
        companies=companies_folder(),
        pack_id=args.pack,
    )
    for finding in findings:
        print(finding)
    warn_skipped(library)
    packs = [pack for pack in library.packs.values() if args.pack in (None, pack.id)]
    drills = sum(len(pack.drills) for pack in packs)
    if findings:
        where = len({finding.where for finding in findings})
        print(
            f"{len(findings)} finding(s) in {where} drill(s), pack(s) or file(s); "
            f"{len(packs)} pack(s) with {drills} drills linted",
            file=sys.stderr,
        )
        return 1
    print(f"ok: {len(packs)} pack(s), {drills} drills, no findings")
    return 0
