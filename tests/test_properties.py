"""Property tests: the pack loader, config.toml and the command line take any input
without crashing or hanging, and ids are matched whole."""

from __future__ import annotations

import contextlib
import copy
import io
import tempfile
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drillcoach import cli
from drillcoach.config import SETTINGS, Config, load_config, resolve_paths
from drillcoach.content import Problem, load_library, validate_files
from drillcoach.errors import UserError
from drillcoach.tomlcheck import ident

# the autouse DRILLCOACH_HOME fixture is shared by every example, which is what we want
PROPERTY = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MANY = settings(PROPERTY, max_examples=250)  # the cheap-to-run ones: a few seconds each

# --- ids

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,63}", fullmatch=True)


@PROPERTY
@given(ids)
def test_every_well_formed_id_is_accepted(value: str) -> None:
    assert ident(value) == value


def _insert(parts: tuple[str, int, str]) -> str:
    value, at, extra = parts
    at %= len(value) + 1
    return value[:at] + extra + value[at:]


malformed_ids = st.one_of(
    ids.map(lambda value: value + "\n"),
    ids.map(lambda value: value + " "),
    ids.map(lambda value: " " + value),
    st.tuples(ids, ids).map("/".join),
    ids.filter(lambda value: value != value.upper()).map(str.upper),
    st.tuples(ids, st.integers(0, 64), st.sampled_from(["\n", " ", "/", "A", "Z", "_", "."])).map(
        _insert
    ),
)


@PROPERTY
@given(malformed_ids)
def test_an_id_with_a_newline_space_capital_or_slash_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="expected an id"):
        ident(value)


# --- TOML documents of every shape

KEYS = [
    "format", "pack", "drill", "turn", "skill", "rubric", "criterion", "id", "kind", "title",
    "prompt", "key_points", "model_answer", "buyer", "model", "replaces", "tags", "version",
    "description", "author", "time_limit", "persona", "situation", *SETTINGS,
]  # fmt: skip
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(["objection", "roleplay", "objection-handling", "price-too-high", "1"]),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)
documents = st.dictionaries(keys, values, max_size=6)


def valid_pack() -> dict[str, Any]:
    return {
        "format": 1,
        "pack": {
            "id": "mutated-pack",
            "title": "Mutated pack",
            "version": "1",
            "description": "A valid pack before the test changes one key.",
        },
        "drill": [
            {
                "id": "budget-freeze",
                "kind": "objection",
                "skill": "objection-handling",
                "title": "Budget freeze",
                "prompt": "We have no budget until next year.",
                "key_points": ["Acknowledge", "Ask a question", "Confirm"],
                "model_answer": "A model answer.",
            },
            {
                "id": "cold-call",
                "kind": "roleplay",
                "skill": "objection-handling",
                "title": "Cold call",
                "key_points": ["Open", "Ask", "Close"],
                "model_answer": "A model answer.",
                "turn": [
                    {"buyer": "Who is calling?", "model": "Sam from Northwind."},
                    {"buyer": "What is it about?", "model": "Your renewal."},
                ],
            },
        ],
    }


@st.composite
def mutated_packs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid pack with one key changed, added or removed, at any level."""
    doc = valid_pack()
    tables: list[dict[str, Any]] = [
        doc,
        doc["pack"],
        doc["drill"][0],
        doc["drill"][1],
        doc["drill"][1]["turn"][0],
    ]
    table = draw(st.sampled_from(tables))
    key = draw(st.one_of(st.sampled_from(sorted(table)), keys))
    if key in table and draw(st.booleans()):
        del table[key]
    else:
        table[key] = draw(values)
    return doc


def dump(doc: dict[str, Any]) -> bytes:
    return tomli_w.dumps(doc).encode("utf-8")


VALID_PACK = dump(valid_pack()).replace(b"mutated-pack", b"good-pack")


def _spliced(parts: tuple[int, bytes, int]) -> bytes:
    at, extra, cut = parts
    at %= len(VALID_PACK) + 1
    return VALID_PACK[:at] + extra + VALID_PACK[at + cut :]


pack_files = st.one_of(
    st.binary(max_size=2000),
    documents.map(dump),
    mutated_packs().map(dump),
    st.tuples(st.integers(0, 10_000), st.binary(max_size=8), st.integers(0, 8)).map(_spliced),
)


def assert_problems(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert "\n" not in str(problem), str(problem)


def test_the_pack_the_properties_start_from_is_valid(tmp_path: Path) -> None:
    (tmp_path / "pack.toml").write_bytes(dump(valid_pack()))
    library = validate_files([tmp_path / "pack.toml"])
    assert library.problems == []
    assert list(library.packs) == ["mutated-pack"]


@pytest.mark.timeout(120)
@MANY
@given(pack_files)
def test_the_pack_loader_takes_any_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bad = folder / "bad.toml"
        bad.write_bytes(content)
        assert_problems(validate_files([bad]).problems)
        # beside it, a valid pack still loads (it sorts first, so a duplicate id is bad's)
        (folder / "a-good.toml").write_bytes(VALID_PACK)
        library = load_library([(folder, "folder")])
        assert_problems(library.problems)
        assert "good-pack" in library.packs
        assert {problem.file for problem in library.problems} <= {bad}


# --- config.toml


config_files = st.one_of(
    st.binary(max_size=500),
    documents.map(dump),
    st.dictionaries(st.sampled_from(sorted(SETTINGS)), values, max_size=4).map(dump),
    st.dictionaries(
        st.sampled_from(sorted(SETTINGS)),
        st.one_of(st.integers(-10, 6000), st.floats(), st.text(max_size=70), st.booleans()),
        max_size=4,
    ).map(dump),
)


@pytest.mark.timeout(60)
@MANY
@given(config_files)
def test_config_is_a_config_or_one_user_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        home = Path(name)
        (home / "config.toml").write_bytes(content)
        try:
            config = load_config(resolve_paths(home))
        except UserError as error:
            assert "\n" not in str(error), str(error)
            assert str(error).startswith(f"{home / 'config.toml'}: ")
        else:
            assert isinstance(config, Config)


# --- the command line

WORDS = [
    "packs", "list", "show", "validate", "new", "today", "config", "set", "doctor",
    "--rebuild", "--home", "--home=", "--help", "-h", "--version", "--title", "--skill",
    "--out", "-", "--", "", ".", "x.toml", "renewals", "good-pack", "price-too-high",
    "objection-handling", "theme", "light", "new_per_day", "5", "-1", "lots", "fuzz", "off",
    "desired_retention", "0.85", "member", "name", "workspace", "pack_paths",
]  # fmt: skip
# No '/', '~' or '..': a path must not reach outside the temporary folder the test
# runs in (`packs new --out` writes where it is told). NUL cannot be in a real argv.
free_text = st.text(max_size=12).filter(
    lambda word: "/" not in word and "\0" not in word and not word.startswith("~") and word != ".."
)
words = st.lists(st.one_of(st.sampled_from(WORDS), free_text), max_size=6)
COMMANDS = [
    [], ["packs", "list"], ["packs", "show"], ["packs", "validate"], ["packs", "new"],
    ["today"], ["config"], ["config", "set"], ["doctor"], ["doctor", "--rebuild"],
]  # fmt: skip
# most lists of random words stop at argparse; these reach the commands themselves
commands = st.tuples(
    st.one_of(st.just([]), st.tuples(st.just("--home"), free_text).map(list)),
    st.sampled_from(COMMANDS),
    st.lists(st.one_of(st.sampled_from(WORDS), free_text), max_size=3),
).map(lambda parts: [*parts[0], *parts[1], *parts[2]])
argvs = st.one_of(words, commands)


@pytest.mark.timeout(120)
@MANY
@given(argvs)
def test_the_command_line_takes_any_words(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with (
        tempfile.TemporaryDirectory() as name,
        contextlib.chdir(name),
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        patch.setattr(cli, "_run_tui", lambda args: 0)  # no TUI: this is about the words
        try:
            code = cli.main(copy.copy(argv))
        except SystemExit as exit_:
            assert exit_.code in (0, 2), (argv, err.getvalue())
        else:
            assert code in (0, 1, 2), (argv, err.getvalue())
            if code == 2:
                assert len(err.getvalue().splitlines()) >= 1
    assert "Traceback" not in err.getvalue()
