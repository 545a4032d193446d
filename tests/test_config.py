"""Settings and paths: defaults, DRILLCOACH_HOME / --home, config.toml validation."""

from __future__ import annotations

import tomllib
from pathlib import Path

import platformdirs
import pytest

from drillcoach.config import (
    SETTINGS,
    Config,
    config_items,
    load_config,
    login_member_id,
    resolve_paths,
    set_value,
)
from drillcoach.errors import UserError


def test_defaults_follow_the_design() -> None:
    config = Config()
    assert config.new_per_day == 5
    assert config.reviews_per_day == 40
    assert config.day_starts_at == 4
    assert config.desired_retention == 0.9
    assert config.default_time_limit == 60
    assert config.fuzz is True
    assert config.theme == "dark"
    assert config.workspace == ""
    assert config.pack_paths == []
    assert config.member == login_member_id()


def test_missing_config_file_means_defaults(drillcoach_home: Path) -> None:
    paths = resolve_paths()
    assert not paths.config_file.exists()
    assert load_config(paths) == Config()


def test_every_setting_is_described() -> None:
    keys = [key for key, _, _ in config_items(Config())]
    assert keys == list(SETTINGS)
    assert all(meaning for _, _, meaning in config_items(Config()))


def test_drillcoach_home_puts_everything_under_it(drillcoach_home: Path) -> None:
    paths = resolve_paths()
    assert paths.database == drillcoach_home / "drillcoach.db"
    assert paths.packs_dir == drillcoach_home / "packs"
    assert paths.backups_dir == drillcoach_home / "backups"
    assert paths.config_file == drillcoach_home / "config.toml"


def test_home_argument_beats_the_environment(drillcoach_home: Path, tmp_path: Path) -> None:
    other = tmp_path / "profile-b"
    paths = resolve_paths(other)
    assert paths.database == other / "drillcoach.db"
    assert paths.packs_dir == other / "packs"
    assert paths.backups_dir == other / "backups"
    assert paths.config_file == other / "config.toml"


def test_without_home_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRILLCOACH_HOME")
    paths = resolve_paths()
    assert paths.data_dir == platformdirs.user_data_path("drillcoach")
    assert paths.config_file == platformdirs.user_config_path("drillcoach") / "config.toml"


def test_empty_drillcoach_home_means_platform_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLCOACH_HOME", "")
    assert resolve_paths().data_dir == platformdirs.user_data_path("drillcoach")


def test_home_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="must be a folder, not a file"):
        resolve_paths(target)


def test_config_file_values_are_read(drillcoach_home: Path) -> None:
    (drillcoach_home / "config.toml").write_text(
        'new_per_day = 8\ntheme = "light"\npack_paths = ["/srv/packs"]\nfuzz = false\n',
        encoding="utf-8",
    )
    config = load_config(resolve_paths())
    assert (config.new_per_day, config.theme, config.pack_paths, config.fuzz) == (
        8,
        "light",
        ["/srv/packs"],
        False,
    )
    assert config.reviews_per_day == 40


def test_unknown_key_names_file_and_key(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text("new_per_dya = 8\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(resolve_paths())
    message = str(caught.value)
    assert message.startswith(f"{config_file}: unknown setting 'new_per_dya' (known: name, ")
    assert "new_per_day" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("new_per_day = -1", "setting 'new_per_day': expected a whole number from 0 to 500"),
        ("new_per_day = true", "setting 'new_per_day': expected a whole number from 0 to 500"),
        ("day_starts_at = 24", "setting 'day_starts_at': expected a whole number from 0 to 23"),
        ("desired_retention = 1.5", "setting 'desired_retention': expected a number from 0.7"),
        ('theme = "pink"', "setting 'theme': expected 'dark', 'light' or one of nord, gruvbox"),
        ('member = "Sam Lee"', "setting 'member': expected an id of lowercase letters"),
        ("pack_paths = [1]", "setting 'pack_paths': expected a list of folder paths"),
        ('fuzz = "maybe"', "setting 'fuzz': expected true or false"),
    ],
)
def test_invalid_value_in_config_file(drillcoach_home: Path, line: str, expected: str) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(resolve_paths())
    assert str(caught.value).startswith(f"{config_file}: {expected}")


def test_invalid_toml_in_config_file(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text("new_per_day = \n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(resolve_paths())
    message = str(caught.value)
    # the same wording as a pack with a syntax error: one strict TOML reader for both
    assert message.startswith(f"{config_file}: line 1, column ")
    assert ": invalid TOML: " in message


def test_config_file_not_utf8(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_bytes(b'name = "Ren\xe9"\n')
    with pytest.raises(UserError, match="expected UTF-8 text"):
        load_config(resolve_paths())


def test_config_file_that_is_a_folder(drillcoach_home: Path) -> None:
    (drillcoach_home / "config.toml").mkdir()
    with pytest.raises(UserError, match="expected a TOML file, found a folder"):
        load_config(resolve_paths())


def test_set_value_validates_converts_and_keeps_other_keys(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text('theme = "light"\nname = "Sam Patel"\n', encoding="utf-8")
    paths = resolve_paths()
    config = set_value(paths, "new_per_day", "8")
    assert config.new_per_day == 8
    assert config.theme == "light"
    written = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert written == {"theme": "light", "name": "Sam Patel", "new_per_day": 8}
    assert load_config(paths).new_per_day == 8
    assert not config_file.with_suffix(".toml.tmp").exists()


def test_set_value_creates_the_file(drillcoach_home: Path) -> None:
    paths = resolve_paths()
    set_value(paths, "pack_paths", "/a:/b")
    set_value(paths, "fuzz", "off")
    set_value(paths, "desired_retention", "0.85")
    written = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    assert written == {"pack_paths": ["/a", "/b"], "fuzz": False, "desired_retention": 0.85}


def test_set_value_refuses_a_bad_value_and_writes_nothing(drillcoach_home: Path) -> None:
    paths = resolve_paths()
    with pytest.raises(UserError) as caught:
        set_value(paths, "new_per_day", "lots")
    assert str(caught.value) == "setting 'new_per_day': expected a whole number from 0 to 500"
    assert not paths.config_file.exists()


def test_set_value_refuses_an_unknown_key(drillcoach_home: Path) -> None:
    with pytest.raises(UserError, match=r"^unknown setting 'nope' \(known: name, member, "):
        set_value(resolve_paths(), "nope", "1")


def test_set_value_refuses_to_rewrite_a_broken_config(drillcoach_home: Path) -> None:
    config_file = drillcoach_home / "config.toml"
    config_file.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(UserError, match="unknown setting 'colour'"):
        set_value(resolve_paths(), "new_per_day", "3")
    assert config_file.read_text(encoding="utf-8") == "colour = 'red'\n"


def test_login_member_id_is_a_valid_id() -> None:
    from drillcoach.tomlcheck import ID_PATTERN

    assert ID_PATTERN.match(login_member_id())


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_paths("~/coach").data_dir == Path(tmp_path) / "coach"


def test_the_themes_are_textuals() -> None:
    """config.toml's theme names are Textual's (dark and light for its own two): a Textual
    that ships another set shows here, not as a theme refused at start."""
    from textual.theme import BUILTIN_THEMES

    from drillcoach.config import THEMES

    own = {"textual-dark": "dark", "textual-light": "light"}
    assert list(THEMES) == [own.get(name, name) for name in BUILTIN_THEMES]
