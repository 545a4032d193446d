"""``drillcoach completion bash|zsh|fish``: scripts generated from the real parser, loaded
in the real shells; the values that depend on the profile from ``completion --list``."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from drillcoach.cli import build_parser
from drillcoach.cli.completion import FLAG, table
from helpers import run_cli as run

BIN = str(Path(sys.executable).parent)  # the venv's drillcoach script


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "DRILLCOACH_HOME": str(home),
            "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}  # fmt: skip


def script(capsys: pytest.CaptureFixture[str], shell: str, tmp_path: Path) -> Path:
    code, out, err = run(capsys, "completion", shell)
    assert code == 0 and err == "", err
    path = tmp_path / f"drillcoach.{shell}"
    path.write_text(out, encoding="utf-8")
    return path


def with_team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "team", "init", str(tmp_path / "ws"), "--name", "West",
                       "--manager", "maria", "--manager-name", "Maria")  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, "team", "add", "sam", "--name", "Sam", "--role", "rep",
                       "--manager", "maria")  # fmt: skip
    assert code == 0, err


# --- the table and the lists


def test_the_table_has_every_command_and_option() -> None:
    parser = build_parser()
    commands = {command.path: command for command in table(parser)}

    def walk(current: argparse.ArgumentParser, path: str) -> None:
        assert path in commands
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    assert name in commands[path].subcommands
                    walk(sub, f"{path} {name}".strip())
            elif action.help != argparse.SUPPRESS:
                for option in action.option_strings:
                    assert option in commands[path].options

    walk(parser, "")
    assert commands["packs show"].positionals == ["@packs"]
    assert commands["packs new"].positionals == ["@any"]  # a new pack's id
    assert commands["team add"].positionals == ["@any"]  # a new member's id
    assert commands["team add"].options["--manager"] == "@members"
    assert commands["team init"].options["--manager"] == "@any"
    assert commands["rate"].options["--drill"] == "@drills"
    assert commands["rate"].positionals == ["@members"]
    assert commands["report"].options["--format"].split() == ["text", "md", "csv", "json",
                                                               "html"]  # fmt: skip
    assert commands["status"].options["--short"] == FLAG
    assert "--list" not in commands["completion"].options  # hidden


def test_lists_of_the_profile(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    code, packs, _ = run(capsys, "completion", "--list", "packs")
    assert code == 0 and "objections-core" in packs.split()
    code, drills, _ = run(capsys, "completion", "--list", "drills")
    assert code == 0 and "objections-core/price-too-high" in drills.split()
    assert run(capsys, "completion", "--list", "members")[1] == ""  # in no team
    with_team(capsys, tmp_path)
    assert run(capsys, "completion", "--list", "members")[1].split() == ["maria", "sam"]


def test_no_shell_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "completion")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "bash, zsh or fish" in err


def test_completion_never_imports_textual(drillcoach_home: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from drillcoach.cli import main
        for argv in (["completion", "bash"], ["completion", "--list", "drills"]):
            main(argv)
        print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] == "textual"))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env=env(drillcoach_home))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: []"


# --- the real shells

BASH_CASES = [  # (the words typed, the last one being completed; some of what is offered)
    (["drillcoach", "pa"], ["packs"]),
    (["drillcoach", "packs", ""], ["list", "show", "validate"]),
    (["drillcoach", "packs", "show", "--"], ["--rubric", "--help"]),
    (["drillcoach", "packs", "show", "objections-c"], ["objections-core"]),
    (["drillcoach", "packs", "lint", "--pack", "obj"], ["objections-core"]),
    (["drillcoach", "rate", "--drill", "objections-core/price"],
     ["objections-core/price-too-high"]),
    (["drillcoach", "rate", "s"], ["sam"]),
    (["drillcoach", "coach", "--format", ""], ["text", "md"]),
    (["drillcoach", "completion", ""], ["bash", "zsh", "fish"]),
    (["drillcoach", "status", "--s"], ["--short"]),
    # an option's value typed in the same word, and a comma-separated list
    (["drillcoach", "rate", "--drill=objections-core/price"],
     ["--drill=objections-core/price-too-high"]),
    (["drillcoach", "assign", "objections-core", "--to", "maria,s"], ["maria,sam"]),
    (["drillcoach", "assign", "objections-core", "--to=maria,s"], ["--to=maria,sam"]),
]  # fmt: skip
# bash splits "--drill=objections" into three words by default ("=" is in COMP_WORDBREAKS)
BASH_ONLY = [
    (["drillcoach", "rate", "--drill", "=", "objections-core/price"],
     ["objections-core/price-too-high"]),
    (["drillcoach", "rate", "--drill", "="], ["objections-core/price-too-high"]),
    (["drillcoach", "--home", "=", "/tm"], ["/tmp"]),
]  # fmt: skip


def test_bash_completes(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    with_team(capsys, tmp_path)
    loaded = script(capsys, "bash", tmp_path)
    lines = [f"source {loaded}", "complete -p drillcoach"]
    cases = BASH_CASES + BASH_ONLY
    for words, _ in cases:
        quoted = " ".join(f"'{word}'" for word in words)
        lines += [f"COMPREPLY=(); COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}",
                  "_drillcoach", 'echo "${COMPREPLY[*]}"']  # fmt: skip
    result = subprocess.run(["bash", "-c", "\n".join(lines)], capture_output=True, text=True,
                            timeout=60, env=env(drillcoach_home))  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "complete -F _drillcoach drillcoach"
    for (words, expected), offered in zip(cases, out[1:], strict=True):
        typed = words[-1].lstrip("=")  # just after "--option=": nothing typed yet
        assert set(expected) <= set(offered.split()), (words, offered)
        assert all(word.startswith(typed) for word in offered.split()), (words, offered)


def test_zsh_completes(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    """Loaded through compinit as a user's .zshrc would; then the completion function run
    with the words typed, what it offers collected from compadd's arguments."""
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed (apt-get install zsh)")
    with_team(capsys, tmp_path)
    loaded = script(capsys, "zsh", tmp_path)
    lines = ["autoload -Uz compinit && compinit -u -D", f"source {loaded}",
             "print -r -- $_comps[drillcoach]",
             # what compadd would offer: -P's prefix before each of -a's array
             "compadd() { local pre=; [[ $1 == -P ]] && { pre=$2; shift 2 };"
             " [[ $1 == -a ]] && print -r -- ${pre}${^${(P)2}} || print -r -- ${@:#--} }",
             "_files() { print -r -- FILES }"]  # fmt: skip
    for words, _ in BASH_CASES:
        quoted = " ".join(f"'{word}'" for word in words)
        lines += [f'words=({quoted}); CURRENT={len(words)}; print -r -- "$(_drillcoach)"']
    result = subprocess.run(["zsh", "-f", "-c", "\n".join(lines)], capture_output=True,
                            text=True, timeout=60, env=env(drillcoach_home))  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "_drillcoach"
    for (words, expected), offered in zip(BASH_CASES, out[1:], strict=True):
        assert set(expected) <= set(offered.split()), (words, offered)


def test_fish_completes(
    capsys: pytest.CaptureFixture[str], drillcoach_home: Path, tmp_path: Path
) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed (apt-get install fish)")
    with_team(capsys, tmp_path)
    loaded = script(capsys, "fish", tmp_path)
    lines = [f"source {loaded}"]
    for words, _ in BASH_CASES:
        lines += [f"echo (complete -C'{' '.join(words)}')"]
    result = subprocess.run(["fish", "--no-config", "-c", "\n".join(lines)],
                            capture_output=True, text=True, timeout=60,
                            env=env(drillcoach_home))  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = result.stdout.splitlines()
    for (words, expected), offered in zip(BASH_CASES, out, strict=True):
        assert set(expected) <= set(offered.split()), (words, offered)
