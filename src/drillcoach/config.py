"""Where drillcoach keeps its files, and the settings a rep can change (config.toml)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from drillcoach.errors import UserError
from drillcoach.fileio import make_folder, reason, write_atomic
from drillcoach.tomlcheck import (
    ID_PATTERN,
    Problem,
    boolean,
    ident,
    number,
    read_toml,
    whole_number,
)
from drillcoach.vocabulary import DEFAULT_RETENTION

APP_NAME = "drillcoach"
HOME_ENV = "DRILLCOACH_HOME"
MAX_CONFIG_BYTES = 64_000


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

    @property
    def library_cache(self) -> Path:
        """The parsed packs and shared content, so unchanged files are not parsed again."""
        return self.data_dir / "cache" / "library.marshal"


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """The one place that decides where files live: --home, then DRILLCOACH_HOME, then
    the platform's data and config folders."""
    if home is not None and not os.fspath(home):  # Path('') would be the current folder
        raise UserError("--home: expected a folder, got an empty path")
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = _expand(os.fspath(chosen))
        try:
            is_file = not stat.S_ISDIR(os.stat(root).st_mode)
        except FileNotFoundError:
            is_file = False  # made when it is first written to
        except OSError as error:  # a name too long, a file where a folder should be
            raise UserError(f"{root}: cannot use this folder ({reason(error, root)})") from None
        if is_file:
            raise UserError(f"{root}: the drillcoach home must be a folder, not a file")
        return Paths(data_dir=root, config_file=root / "config.toml")
    import platformdirs

    return Paths(
        data_dir=platformdirs.user_data_path(APP_NAME),
        config_file=platformdirs.user_config_path(APP_NAME) / "config.toml",
    )


def _expand(text: str) -> Path:
    """``text`` as a path with '~' and '~user' expanded, or a UserError naming it."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise UserError(f"{text}: {_unknown_home(text)}") from None


def _unknown_home(text: str) -> str:
    return f"cannot find the home folder of {Path(text).parts[0]!r}"


def login_name() -> str:
    """The login name, as getpass.getuser() finds it (without importing termios)."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        return "me"


def login_member_id() -> str:
    """A member id derived from the login name, valid under the id rules."""
    member = re.sub(r"[^a-z0-9-]+", "-", login_name().lower()).strip("-")[:64]
    return member if member and ID_PATTERN.fullmatch(member) else "me"


# --- checks of the values config.toml may hold (the shared ones are in tomlcheck)


def _text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise ValueError(f"expected non-empty text of at most {max_length} characters")
        return value.strip()

    return check


def _path_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a folder path")
    return _usable_path(value.strip())


def _path_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of folder paths (separate them with '{os.pathsep}')")
    return [_usable_path(item.strip()) for item in value]


def _usable_path(text: str) -> str:
    """``text`` if it can name a folder here; checked now, since a path the system
    cannot take would otherwise fail as a crash where packs are loaded."""
    if "\0" in text:
        raise ValueError("expected a folder path without NUL characters")
    try:
        Path(text).expanduser()
    except RuntimeError:
        raise ValueError(f"expected a folder path; {_unknown_home(text)}") from None
    return text


# --- from the command line's text to the value a check takes


def _as_is(text: str) -> Any:
    return text


def _as_number(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text.strip())
        except ValueError:
            continue
    return text


def _as_bool(text: str) -> Any:
    word = text.strip().lower()
    if word in {"true", "yes", "on", "1"}:
        return True
    if word in {"false", "no", "off", "0"}:
        return False
    return text


def _as_paths(text: str) -> Any:
    return [part for part in text.split(os.pathsep) if part.strip()]


@dataclass(frozen=True)
class Config:
    """The rep's settings. Defaults follow DESIGN.md §3."""

    name: str = field(default_factory=login_name)
    member: str = field(default_factory=login_member_id)
    new_per_day: int = 5
    reviews_per_day: int = 40
    day_starts_at: int = 4
    desired_retention: float = DEFAULT_RETENTION
    default_time_limit: int = 60
    fuzz: bool = True
    theme: str = "dark"
    workspace: str = ""
    share_answers: bool = False
    share_vision: bool = False
    share_agreement: bool = False
    share_commitments: bool = False
    share_debriefs: bool = False
    pack_paths: list[str] = field(default_factory=list)
    backups_kept: int = 7
    ready_stability_days: int = 21
    ready_manager_score: float = 4.0


# the colour themes: dark and light (Textual's own two), then the rest Textual ships, by
# the names its command palette shows (tests/test_config.py keeps this list Textual's)
THEMES = (
    "dark", "light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night", "monokai",
    "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato",
    "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn",
    "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light",
)  # fmt: skip


def _theme(value: Any) -> str:
    if value not in THEMES:
        raise ValueError(f"expected 'dark', 'light' or one of {', '.join(THEMES[2:])}")
    return str(value)


@dataclass(frozen=True)
class Setting:
    check: Callable[[Any], Any]  # the value from config.toml, or ValueError("expected ...")
    meaning: str
    from_text: Callable[[str], Any] = _as_is  # ``config set KEY VALUE``: VALUE to a value


SETTINGS: Mapping[str, Setting] = {
    "name": Setting(_text(60), "your display name"),
    "member": Setting(ident, "your member id in a team workspace"),
    "new_per_day": Setting(whole_number(0, 500), "new drills introduced per day", _as_number),
    "reviews_per_day": Setting(whole_number(0, 5000), "reviews per day at most", _as_number),
    "day_starts_at": Setting(
        whole_number(0, 23), "local hour at which a new drilling day starts", _as_number
    ),
    "desired_retention": Setting(number(0.7, 0.99), "FSRS desired retention", _as_number),
    "default_time_limit": Setting(
        whole_number(5, 600), "seconds to answer a drill without a limit", _as_number
    ),
    "fuzz": Setting(boolean, "spread review dates a little so drills don't bunch up", _as_bool),
    "theme": Setting(_theme, "'dark', 'light' or a Textual theme, as the palette's Theme lists"),
    "workspace": Setting(_path_text, "team workspace folder (empty: none)"),
    "share_answers": Setting(
        boolean,
        "share every typed answer with your manager (off: only answers you send for review)",
        _as_bool,
    ),
    "share_vision": Setting(
        boolean, "share your vision and sales DNA checks with your manager", _as_bool
    ),
    "share_agreement": Setting(
        boolean, "share your coaching agreement with your manager", _as_bool
    ),
    "share_commitments": Setting(
        boolean, "share your commitments and how they are going with your manager", _as_bool
    ),
    "share_debriefs": Setting(
        boolean, "share your call debriefs with your manager (they can score them)", _as_bool
    ),
    "pack_paths": Setting(_path_list, "extra folders to load packs from", _as_paths),
    "backups_kept": Setting(
        whole_number(0, 365), "daily backups of the database kept (0: none)", _as_number
    ),
    "ready_stability_days": Setting(
        whole_number(1, 365),
        "a pack is ready when every drill is remembered this many days (FSRS stability)",
        _as_number,
    ),
    "ready_manager_score": Setting(
        number(1, 5),
        "a pack is ready when a manager scored each role-play this or more (mean, 90 days)",
        _as_number,
    ),
}


class SettingError(UserError):
    """A setting's value is not what it should be; ``expected`` says what it should be."""

    def __init__(self, key: str, expected: str, source: Path | None = None) -> None:
        where = f"{source}: " if source else ""
        super().__init__(f"{where}setting '{key}': {expected}")
        self.key = key
        self.expected = expected


# the settings a card's kept state or due date follows (the day's start replays it, a
# desired retention or fuzz moves its due date): ``Services.set_setting`` brings the cards
# up to date as one is written, so the next queue does not wait for them
CARD_SETTINGS = frozenset({"day_starts_at", "desired_retention", "fuzz"})


def _check(key: str, value: Any, source: Path | None = None) -> Any:
    try:
        return SETTINGS[key].check(value)
    except ValueError as error:
        raise SettingError(key, str(error), source) from None


def load_config(paths: Paths) -> Config:
    """Read config.toml; a missing file means defaults. Bad values are user errors."""
    return _settings(_read_written(paths.config_file), paths.config_file)


def written_keys(paths: Paths) -> set[str]:
    """The settings config.toml sets (the others are at their defaults)."""
    return set(_read_written(paths.config_file))


def _read_written(source: Path) -> dict[str, Any]:
    """What config.toml holds ({} when there is none), read through the same guarded
    path as every other file."""
    try:
        os.lstat(source)
    except FileNotFoundError:
        return {}
    except OSError:
        pass  # read_toml says what is wrong in one line
    problems: list[Problem] = []
    data = read_toml(source, problems, max_bytes=MAX_CONFIG_BYTES)
    if data is None:
        raise UserError(str(problems[0]))
    return data


def _settings(data: dict[str, Any], source: Path) -> Config:
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            raise UserError(f"{source}: unknown setting {key!r} (known: {', '.join(SETTINGS)})")
        values[key] = _check(key, value, source)
    return replace(Config(), **values)


def set_value(paths: Paths, key: str, text: str) -> Config:
    """Validate one setting given as text and write config.toml with it, keeping the
    others as written."""
    if key not in SETTINGS:
        raise UserError(f"unknown setting {key!r} (known: {', '.join(SETTINGS)})")
    value = _check(key, SETTINGS[key].from_text(text))
    written = _read_written(paths.config_file)
    current = _settings(written, paths.config_file)  # a broken config is not rewritten
    written[key] = value
    make_folder(paths.config_file.parent)
    import tomli_w

    write_atomic(paths.config_file, tomli_w.dumps(written))
    return replace(current, **{key: value})


def config_items(config: Config) -> list[tuple[str, Any, str]]:
    """(key, value, what it means) for every setting, in a stable order."""
    return [(f.name, getattr(config, f.name), SETTINGS[f.name].meaning) for f in fields(config)]
