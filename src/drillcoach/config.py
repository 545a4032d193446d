"""Where drillcoach keeps its files, and the settings a rep can change (config.toml)."""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from drillcoach.errors import UserError

APP_NAME = "drillcoach"
HOME_ENV = "DRILLCOACH_HOME"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Paths:
    """Every file and folder drillcoach reads or writes for one profile."""

    data_dir: Path
    config_file: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "drillcoach.db"

    @property
    def packs_dir(self) -> Path:
        return self.data_dir / "packs"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """The one place that decides where files live: --home, then DRILLCOACH_HOME, then
    the platform's data and config folders."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser()
        if root.exists() and not root.is_dir():
            raise UserError(f"{root}: the drillcoach home must be a folder, not a file")
        return Paths(data_dir=root, config_file=root / "config.toml")
    return Paths(
        data_dir=platformdirs.user_data_path(APP_NAME),
        config_file=platformdirs.user_config_path(APP_NAME) / "config.toml",
    )


def login_member_id() -> str:
    """A member id derived from the login name, valid under the id rules."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "me"
    member = re.sub(r"[^a-z0-9-]+", "-", login.lower()).strip("-")[:64]
    return member if member and ID_PATTERN.match(member) else "me"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


# --- validators: each returns the parsed value or raises ValueError with what was expected


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise ValueError(f"expected a whole number from {low} to {high}") from None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value

    return check


def _float_between(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise ValueError(f"expected a number from {low} to {high}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number from {low} to {high}")
        if not low <= float(value) <= high:
            raise ValueError(f"expected a number from {low} to {high}")
        return float(value)

    return check


def _text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise ValueError(f"expected non-empty text of at most {max_length} characters")
        return value.strip()

    return check


def _member_id(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError("expected an id of lowercase letters, digits and hyphens, like 'sam-lee'")
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "on", "1"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "off", "0"}:
        return False
    raise ValueError("expected true or false")


def _path_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a folder path")
    return value.strip()


def _path_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.split(os.pathsep) if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of folder paths (separate them with '{os.pathsep}')")
    return [item.strip() for item in value]


def _theme(value: Any) -> str:
    if value not in ("dark", "light"):
        raise ValueError("expected 'dark' or 'light'")
    return str(value)


@dataclass(frozen=True)
class Config:
    """The rep's settings. Defaults follow DESIGN.md §3."""

    name: str = field(default_factory=_login_name)
    member: str = field(default_factory=login_member_id)
    new_per_day: int = 5
    reviews_per_day: int = 40
    day_starts_at: int = 4
    desired_retention: float = 0.9
    default_time_limit: int = 60
    fuzz: bool = True
    theme: str = "dark"
    workspace: str = ""
    pack_paths: list[str] = field(default_factory=list)


SETTINGS: Mapping[str, tuple[Callable[[Any], Any], str]] = {
    "name": (_text(60), "your display name"),
    "member": (_member_id, "your member id in a team workspace"),
    "new_per_day": (_int_between(0, 500), "new drills introduced per day"),
    "reviews_per_day": (_int_between(0, 5000), "reviews per day at most"),
    "day_starts_at": (_int_between(0, 23), "local hour at which a new drilling day starts"),
    "desired_retention": (_float_between(0.7, 0.99), "FSRS desired retention"),
    "default_time_limit": (_int_between(5, 600), "seconds to answer a drill without a limit"),
    "fuzz": (_bool, "spread review dates a little so drills don't bunch up"),
    "theme": (_theme, "'dark' or 'light'"),
    "workspace": (_path_text, "team workspace folder (empty: none)"),
    "pack_paths": (_path_list, "extra folders to load packs from"),
}


def load_config(paths: Paths) -> Config:
    """Read config.toml; a missing file means defaults. Bad values are user errors."""
    source = paths.config_file
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        return Config()
    except IsADirectoryError:
        raise UserError(f"{source}: expected a TOML file, found a folder") from None
    except OSError as error:
        raise UserError(f"{source}: cannot read ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{source}: expected UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise UserError(f"{source}: invalid TOML: {error}") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            known = ", ".join(SETTINGS)
            raise UserError(f"{source}: unknown setting '{key}' (known: {known})")
        check, _ = SETTINGS[key]
        try:
            values[key] = check(value)
        except ValueError as error:
            raise UserError(f"{source}: setting '{key}': {error}") from None
    return replace(Config(), **values)


def set_value(paths: Paths, key: str, text: Any) -> Config:
    """Validate one setting and write config.toml with it, keeping the others as written."""
    if key not in SETTINGS:
        raise UserError(f"unknown setting '{key}' (known: {', '.join(SETTINGS)})")
    check, _ = SETTINGS[key]
    try:
        value = check(text)
    except ValueError as error:
        raise UserError(f"setting '{key}': {error}") from None
    current = load_config(paths)  # refuses to rewrite a config that is already broken
    written: dict[str, Any] = {}
    if paths.config_file.exists():
        written = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    written[key] = value
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = paths.config_file.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps(written), encoding="utf-8")
    os.replace(temporary, paths.config_file)
    return replace(current, **{key: value})


def config_items(config: Config) -> list[tuple[str, Any, str]]:
    """(key, value, what it means) for every setting, in a stable order."""
    return [(f.name, getattr(config, f.name), SETTINGS[f.name][1]) for f in fields(config)]
