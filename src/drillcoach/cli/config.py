"""``drillcoach config [set KEY VALUE]``: paths and settings."""

from __future__ import annotations

import argparse
from typing import Any

from drillcoach.cli.shared import add_json_option, json_only, open_services, print_json


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="show paths and settings, or change one")
    add_json_option(config, "the paths and settings")
    config.set_defaults(handler=_show)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    setting = actions.add_parser("set", help="change one setting in config.toml")
    setting.add_argument("key", metavar="KEY")
    setting.add_argument("value", metavar="VALUE")
    setting.set_defaults(handler=_set)


def _set(args: argparse.Namespace) -> int:
    from drillcoach.config import CARD_SETTINGS, Config, resolve_paths, set_value

    json_only(args, "config")
    paths = resolve_paths(args.home)
    config: Config
    if args.key in CARD_SETTINGS and paths.database.exists():  # the cards move now
        services = open_services(args)
        try:
            config = services.set_setting(args.key, args.value)
        finally:
            services.close()
    else:
        config = set_value(paths, args.key, args.value)
    print(f"{args.key} = {_show_value(getattr(config, args.key))}  (in {paths.config_file})")
    return 0


def _show(args: argparse.Namespace) -> int:
    from drillcoach.config import config_items, load_config, resolve_paths

    paths = resolve_paths(args.home)
    config = load_config(paths)
    if args.json:
        items = config_items(config)
        print_json({
            "paths": {"config_file": paths.config_file, "database": paths.database,
                      "packs_dir": paths.packs_dir, "backups_dir": paths.backups_dir},
            "settings": {key: value for key, value, _ in items},
            "meanings": {key: meaning for key, _, meaning in items},
        })  # fmt: skip
        return 0
    print(f"config file:  {paths.config_file}")
    print(f"database:     {paths.database}")
    print(f"my packs:     {paths.packs_dir}")
    print(f"backups:      {paths.backups_dir}")
    print()
    width = max(len(key) for key, _, _ in config_items(config))
    for key, value, meaning in config_items(config):
        print(f"{key:<{width}} = {_show_value(value):<14} # {meaning}")
    return 0


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return str(value)
