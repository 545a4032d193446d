"""``drillcoach completion bash|zsh|fish``: a completion script for the shell, generated
from the real parser each time it runs, so it knows every command and option there is.

The parser is walked once into a table (per command: its subcommands, its options and
what value each takes, what each positional argument takes); the table is written out as
``case`` / ``switch`` functions in the shell's own language, beside a small walker, the
same in the three shells, that finds the command being typed and completes it. Values
that depend on the profile (pack ids, drill uids, member ids) come from the hidden
``drillcoach completion --list packs|drills|members``, which reads the parsed-library
cache, config.toml and the team workspace's team.toml, never Textual.

Hand-written rather than shtab's: shtab has no fish output and would be a runtime
dependency for a few hundred lines of text; argcomplete runs Python on every Tab.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from drillcoach.errors import UserError

SHELLS = ("bash", "zsh", "fish")
LISTS = ("packs", "drills", "members")

# what an argument's value is; a kind is a space-separated list of words to offer and
# of @lists: @packs @drills @members (from --list), @file @dir (the shell's own), @any
FLAG = "!"


def register(commands: Any) -> None:
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for SHELL; see README, 'In your shell'. "
        "bash: source <(drillcoach completion bash)",
    )
    completion.add_argument("shell", nargs="?", choices=SHELLS, metavar="SHELL",
                            help="bash, zsh or fish")  # fmt: skip
    completion.add_argument("--list", choices=LISTS, help=argparse.SUPPRESS)
    completion.set_defaults(handler=_completion)


def _completion(args: argparse.Namespace) -> int:
    if args.list is not None:
        for value in listed(args.list, args.home):
            print(value)
        return 0
    if args.shell is None:
        raise UserError("completion: expected a shell: bash, zsh or fish")
    from drillcoach.cli import build_parser

    print(script(args.shell, table(build_parser())), end="")
    return 0


# --- the values that depend on the profile


def listed(kind: str, home: str | None) -> list[str]:
    """Pack ids, drill uids or member ids of the profile; nothing (never an error) when
    they cannot be read: a Tab press is no place for one."""
    try:
        from drillcoach.config import load_config, resolve_paths

        paths = resolve_paths(home)
        config = load_config(paths)
        if kind == "members":
            if not config.workspace:
                return []
            from pathlib import Path

            from drillcoach.team.workspace import read_team

            return list(read_team(Path(config.workspace).expanduser()).members)
        from drillcoach.content import load_library
        from drillcoach.services import pack_sources

        library = load_library(pack_sources(paths, config), cache=paths.library_cache)
        if kind == "packs":
            return list(library.packs)
        return [drill.uid for pack in library.packs.values() for drill in pack.drills]
    except Exception:  # see the docstring
        return []


# --- the parser, as a table


class Command:
    """One command of the parser (a plain class: --help imports every command's module,
    and dataclasses would cost every quick command its import)."""

    def __init__(self, path: str) -> None:
        self.path = path  # "packs show"; "" for drillcoach itself
        self.subcommands: list[str] = []
        self.options: dict[str, str] = {}  # option -> kind (FLAG: none)
        self.positionals: list[str] = []  # the kind of each, in order
        self.repeats = False  # the last positional takes any number of values


def kind_of(path: str, action: argparse.Action) -> str:
    """What ``action``'s value is, from its choices, dest and metavar; ``@list`` added
    when it takes several, comma-separated (each after a comma completes too)."""
    kind = _value_kind(path, action)
    return f"{kind} @list" if "comma-separated" in (action.help or "") else kind


def _value_kind(path: str, action: argparse.Action) -> str:
    if action.nargs == 0:
        return FLAG
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return " ".join(str(choice) for choice in action.choices)
    dest = action.dest
    metavar = str(action.metavar or "").upper()
    if path == "assign" and dest == "words":
        return "@packs list remove"
    new_pack = path in ("packs new", "packs import")  # an id no pack has yet
    if not new_pack and (dest == "pack" or metavar == "PACK"):
        return "@packs"
    if dest in ("drill", "uid", "copy") or metavar in ("UID", "DRILL_UID"):
        return "@drills"
    new_member = path == "team init"  # its --manager: the team's first member, to be
    if not new_member and (dest in ("rep", "manager", "to") or (path, dest) == (
        "team join", "member")):  # fmt: skip
        return "@members"
    if dest in ("home", "dir") or metavar == "DIR":
        return "@dir"
    if dest in ("out", "paths", "file", "backup") or metavar in ("FILE", "PATH", "BACKUP"):
        return "@file"
    return "@any"


def table(parser: argparse.ArgumentParser) -> list[Command]:
    """Every command of ``parser``, walked through its subparsers."""
    found: list[Command] = []

    def walk(current: argparse.ArgumentParser, path: str) -> None:
        command = Command(path)
        found.append(command)
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    command.subcommands.append(name)
                    walk(sub, f"{path} {name}".strip())
            elif action.help == argparse.SUPPRESS:
                continue
            elif action.option_strings:
                for option in action.option_strings:
                    command.options[option] = kind_of(path, action)
            else:
                command.positionals.append(kind_of(path, action))
                command.repeats = action.nargs in ("*", "+")

    walk(parser, "")
    return found


# --- the scripts


def script(shell: str, commands: list[Command]) -> str:
    writer = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell]
    return writer(commands)


def _posix_tables(commands: list[Command]) -> Iterator[str]:
    """The table as sh functions (bash and zsh read the same ``case``)."""

    def case(name: str, rows: list[tuple[str, str]]) -> Iterator[str]:
        yield f"_drillcoach_{name}() {{"
        yield '    case "$1" in'
        for pattern, value in rows:
            yield f"        {_sh(pattern)}) printf '%s\\n' {_sh(value)} ;;"
        yield "    esac"
        yield "}"

    yield from case("subs", [(c.path, " ".join(c.subcommands)) for c in commands
                             if c.subcommands])  # fmt: skip
    yield from case("opts", [(c.path, " ".join(c.options)) for c in commands])
    yield from case("kind", [(f"{c.path}|{o}", k) for c in commands for o, k in c.options.items()
                             if k != FLAG])  # fmt: skip
    positional = []
    for c in commands:
        for index, kind in enumerate(c.positionals):
            last = c.repeats and index == len(c.positionals) - 1
            positional.append((f"{c.path}|{index}", kind))
            if last:
                positional.append((f"{c.path}|*", kind))
    yield from case("pos", positional)


def _sh(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


BASH_MAIN = r"""
_drillcoach_list() {
    drillcoach ${_drillcoach_home:+--home "$_drillcoach_home"} completion --list "$1" 2>/dev/null
}

_drillcoach_values() {
    # $1: a kind; fills COMPREPLY with its values that start with $2, each after $3 (an
    # "--option=" typed in the same word); in a comma-separated list, after the last comma
    local word lists="" cur="$2" before="$3" value
    if [[ " $1 " == *" @list "* && "$cur" == *,* ]]; then
        before+="${cur%,*},"
        cur="${cur##*,}"
    fi
    for word in $1; do
        case "$word" in
            @packs|@drills|@members)
                lists+=" $(_drillcoach_list "${word#@}")" ;;
            @file|@dir)
                compopt -o filenames 2>/dev/null
                local only=-f
                [[ "$word" == @dir ]] && only=-d
                for value in $(compgen "$only" -- "$cur"); do
                    COMPREPLY+=("$before$value")
                done ;;
            @any|@list) ;;
            *) lists+=" $word" ;;
        esac
    done
    for value in $(compgen -W "$lists" -- "$cur"); do
        COMPREPLY+=("$before$value")
    done
}

_drillcoach() {
    local cur="${COMP_WORDS[COMP_CWORD]}" path="" expect="" word i npos=0 kind subs
    local _drillcoach_home=""
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ "$word" == "=" ]]; then
            continue  # bash splits --option=value at "=": the option waits for its value
        elif [[ -n "$expect" ]]; then
            [[ "$expect" == --home ]] && _drillcoach_home="$word"
            expect=""
        elif [[ "$word" == -*=* || "$word" == -- ]]; then
            [[ "$word" == --home=* ]] && _drillcoach_home="${word#--home=}"
        elif [[ "$word" == -* ]]; then
            kind="$(_drillcoach_kind "$path|$word")"
            [[ -n "$kind" ]] && expect="$word"
        elif subs="$(_drillcoach_subs "$path")" && [[ " $subs " == *" $word "* ]]; then
            path="${path:+$path }$word"
            npos=0
        else
            ((npos++))
        fi
    done
    [[ "$cur" == "=" ]] && cur=""  # just after "--option="
    if [[ -n "$expect" ]]; then
        _drillcoach_values "$(_drillcoach_kind "$path|$expect")" "$cur"
    elif [[ "$cur" == -*=* ]]; then  # "=" is not a word break in this shell
        kind="$(_drillcoach_kind "$path|${cur%%=*}")"
        [[ -n "$kind" ]] && _drillcoach_values "$kind" "${cur#*=}" "${cur%%=*}="
    elif [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(_drillcoach_opts "$path")" -- "$cur"))
    else
        subs="$(_drillcoach_subs "$path")"
        if [[ -n "$subs" ]]; then
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        else
            kind="$(_drillcoach_pos "$path|$npos")"
            [[ -z "$kind" ]] && kind="$(_drillcoach_pos "$path|*")"
            [[ -n "$kind" ]] && _drillcoach_values "$kind" "$cur"
        fi
    fi
    return 0
}
"""


def bash_script(commands: list[Command]) -> str:
    lines = ["# drillcoach completion for bash: source <(drillcoach completion bash)",
             *_posix_tables(commands), BASH_MAIN.strip(),
             "complete -F _drillcoach drillcoach"]  # fmt: skip
    return "\n".join(lines) + "\n"


ZSH_MAIN = r"""
_drillcoach_list() {
    drillcoach ${_drillcoach_home:+--home "$_drillcoach_home"} completion --list "$1" 2>/dev/null
}

_drillcoach_values() {
    # $1: a kind; adds its values as completions, each after $2 (an "--option=" typed in
    # the same word) and, in a comma-separated list ($3 the value typed), its last comma
    local word before="$2"
    local -a plain listed
    [[ " $1 " == *" @list "* && "$3" == *,* ]] && before+="${3%,*},"
    for word in ${=1}; do
        case "$word" in
            @packs|@drills|@members)
                listed+=(${(f)"$(_drillcoach_list ${word#@})"}) ;;
            @file|@dir)
                [[ -n "$before" ]] && compset -P '*=' 2>/dev/null
                if [[ "$word" == @dir ]]; then _files -/; else _files; fi ;;
            @any|@list) ;;
            *) plain+=("$word") ;;
        esac
    done
    plain+=($listed)
    (( ${#plain} )) && compadd -P "$before" -a plain
    return 0
}

_drillcoach() {
    local cur="${words[CURRENT]}" cmdpath="" expect="" word kind subs
    local -i i npos=0
    local _drillcoach_home=""
    for ((i = 2; i < CURRENT; i++)); do
        word="${words[i]}"
        if [[ -n "$expect" ]]; then
            [[ "$expect" == --home ]] && _drillcoach_home="$word"
            expect=""
        elif [[ "$word" == -*=* || "$word" == -- ]]; then
            :
        elif [[ "$word" == -* ]]; then
            kind="$(_drillcoach_kind "$cmdpath|$word")"
            [[ -n "$kind" ]] && expect="$word"
        elif subs="$(_drillcoach_subs "$cmdpath")" && [[ " $subs " == *" $word "* ]]; then
            cmdpath="${cmdpath:+$cmdpath }$word"
            npos=0
        else
            (( npos++ ))
        fi
    done
    if [[ -n "$expect" ]]; then
        _drillcoach_values "$(_drillcoach_kind "$cmdpath|$expect")" "" "$cur"
    elif [[ "$cur" == -*=* ]]; then
        kind="$(_drillcoach_kind "$cmdpath|${cur%%=*}")"
        [[ -n "$kind" ]] && _drillcoach_values "$kind" "${cur%%=*}=" "${cur#*=}"
    elif [[ "$cur" == -* ]]; then
        compadd -- ${=$(_drillcoach_opts "$cmdpath")}
    else
        subs="$(_drillcoach_subs "$cmdpath")"
        if [[ -n "$subs" ]]; then
            compadd -- ${=subs}
        else
            kind="$(_drillcoach_pos "$cmdpath|$npos")"
            [[ -z "$kind" ]] && kind="$(_drillcoach_pos "$cmdpath|*")"
            [[ -n "$kind" ]] && _drillcoach_values "$kind" "" "$cur"
        fi
    fi
    return 0
}
"""


def zsh_script(commands: list[Command]) -> str:
    lines = ["#compdef drillcoach",
             "# drillcoach completion for zsh: source <(drillcoach completion zsh)",
             *_posix_tables(commands), ZSH_MAIN.strip(),
             'if [[ "$zsh_eval_context[-1]" == loadautofunc ]]; then',
             '    _drillcoach "$@"',
             "else",
             "    compdef _drillcoach drillcoach",
             "fi"]  # fmt: skip
    return "\n".join(lines) + "\n"


def _fish(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


FISH_MAIN = r"""
function __drillcoach_values
    # $argv[1]: what each value follows (an "--option=" typed in the same token), $argv[2]:
    # the value typed, the rest: a kind's words; prints its values, in a comma-separated
    # list each after the last comma
    set -l before $argv[1]
    set -l cur $argv[2]
    if contains -- @list $argv[3..-1]; and string match -q -- '*,*' $cur
        set before $before(string replace -r ',[^,]*$' ',' -- $cur)
        set cur (string replace -r '^.*,' '' -- $cur)
    end
    for word in $argv[3..-1]
        switch $word
            case @packs @drills @members
                set -l list (string sub -s 2 -- $word)
                set -l home
                test -n "$__drillcoach_home"; and set home --home $__drillcoach_home
                for value in (drillcoach $home completion --list $list 2>/dev/null)
                    echo $before$value
                end
            case @file
                for value in (__fish_complete_path $cur)
                    echo $before$value
                end
            case @dir
                for value in (__fish_complete_directories $cur '')
                    echo $before$value
                end
            case @any @list
            case '*'
                echo $before$word
        end
    end
end

function __drillcoach_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l path ''
    set -l expect ''
    set -l npos 0
    set -g __drillcoach_home ''
    for word in $tokens[2..-1]
        if test -n "$expect"
            test "$expect" = --home; and set -g __drillcoach_home $word
            set expect ''
        else if string match -q -- '-*=*' $word; or test "$word" = --
        else if string match -q -- '-*' $word
            set -l kind (__drillcoach_kind "$path|$word")
            test -n "$kind"; and set expect $word
        else if contains -- $word (__drillcoach_subs $path)
            set path (string trim -- "$path $word")
            set npos 0
        else
            set npos (math $npos + 1)
        end
    end
    if test -n "$expect"
        __drillcoach_values '' "$cur" (string split ' ' -- (__drillcoach_kind "$path|$expect"))
    else if string match -q -- '-*=*' $cur
        set -l option (string split -m 1 = -- $cur)
        set -l kind (string split ' ' -- (__drillcoach_kind "$path|$option[1]"))
        test -n "$kind"; and __drillcoach_values "$option[1]=" "$option[2]" $kind
    else if string match -q -- '-*' $cur
        __drillcoach_opts $path
    else
        set -l subs (__drillcoach_subs $path)
        if test (count $subs) -gt 0
            printf '%s\n' $subs
        else
            set -l kind (__drillcoach_pos "$path|$npos")
            test -z "$kind"; and set kind (__drillcoach_pos "$path|*")
            test -n "$kind"; and __drillcoach_values '' "$cur" (string split ' ' -- $kind)
        end
    end
end

complete -c drillcoach -f -a '(__drillcoach_complete)'
"""


def fish_script(commands: list[Command]) -> str:
    def switch(name: str, rows: list[tuple[str, list[str]]]) -> Iterator[str]:
        yield f"function __drillcoach_{name}"
        yield '    switch "$argv[1]"'
        for pattern, values in rows:
            yield f"        case {_fish(pattern)}"
            yield f"            printf '%s\\n' {' '.join(_fish(v) for v in values)}"
        yield "    end"
        yield "end"

    lines = ["# drillcoach completion for fish: drillcoach completion fish | source"]
    lines += switch("subs", [(c.path, c.subcommands) for c in commands if c.subcommands])
    lines += switch("opts", [(c.path, list(c.options)) for c in commands if c.options])
    lines += switch("kind", [(f"{c.path}|{o}", [k]) for c in commands
                             for o, k in c.options.items() if k != FLAG])  # fmt: skip
    positional = []
    for c in commands:
        for index, kind in enumerate(c.positionals):
            positional.append((f"{c.path}|{index}", [kind]))
            if c.repeats and index == len(c.positionals) - 1:
                positional.append((f"{c.path}|*", [kind]))
    lines += switch("pos", positional)
    return "\n".join([*lines, FISH_MAIN.strip()]) + "\n"
