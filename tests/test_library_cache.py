"""The parsed library is kept between runs: unchanged files are not parsed again, a
changed or new file is, problems come back with the file, and a damaged cache only
costs a parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drillcoach.content import Library, builtin_root, load_library
from drillcoach.content import parse as parse_module
from helpers import DrillDoc, PackDoc, WritePack


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the pack files parsed (not taken from the cache), in order."""
    names: list[str] = []
    real = parse_module.parse_pack

    def counting(path: Path, origin: str, raw: bytes, problems: list[object]) -> object:
        names.append(path.name)
        return real(path, origin, raw, problems)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_module, "parse_pack", counting)
    return names


BUILT_IN = len(list((builtin_root() / "drills").glob("*.toml")))


def load(packs_dir: Path, cache: Path) -> Library:
    return load_library([(builtin_root() / "drills", "built-in"), (packs_dir, "mine")], cache=cache)


def test_unchanged_files_are_not_parsed_again(
    tmp_path: Path, packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc, parsed: list[str]
) -> None:
    cache = tmp_path / "cache" / "library.marshal"
    write_pack(pack_doc("mine"))
    first = load(packs_dir, cache)
    assert len(parsed) == BUILT_IN + 1 and cache.is_file()
    parsed.clear()
    again = load(packs_dir, cache)
    assert parsed == []
    assert again == first
    assert again.drill("mine/price-too-high") == first.drill("mine/price-too-high")
    assert [d.uid for d in again.new_order()] == [d.uid for d in first.new_order()]


def test_a_changed_or_new_file_is_parsed_alone(
    tmp_path: Path,
    packs_dir: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    parsed: list[str],
) -> None:
    cache = tmp_path / "library.marshal"
    path = write_pack(pack_doc("mine"))
    load(packs_dir, cache)
    parsed.clear()
    stat = path.stat()
    write_pack(pack_doc("mine", drills=[drill_doc("other-drill")]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time: the hash tells
    write_pack(pack_doc("extra"))
    library = load(packs_dir, cache)
    assert sorted(parsed) == ["extra.toml", "mine.toml"]
    assert [d.id for d in library.packs["mine"].drills] == ["other-drill"]
    assert "extra" in library.packs


def test_problems_come_back_from_the_cache(
    tmp_path: Path,
    packs_dir: Path,
    write_pack: WritePack,
    pack_doc: PackDoc,
    drill_doc: DrillDoc,
    parsed: list[str],
) -> None:
    cache = tmp_path / "library.marshal"
    write_pack(pack_doc("broken", drills=[drill_doc("x", kind="objction")]))
    write_pack("format = 1\n[pack\n", name="syntax.toml")
    first = load(packs_dir, cache)
    assert len(first.problems) == 2 and "broken" not in first.packs
    parsed.clear()
    again = load(packs_dir, cache)
    assert parsed == []
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]


def test_a_removed_file_drops_out(
    tmp_path: Path, packs_dir: Path, write_pack: WritePack, pack_doc: PackDoc
) -> None:
    cache = tmp_path / "library.marshal"
    path = write_pack(pack_doc("mine"))
    assert "mine" in load(packs_dir, cache).packs
    path.unlink()
    assert "mine" not in load(packs_dir, cache).packs


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", b"\x00" * 100])
def test_a_damaged_cache_is_parsed_afresh(
    tmp_path: Path, packs_dir: Path, damage: bytes, parsed: list[str]
) -> None:
    cache = tmp_path / "library.marshal"
    cache.write_bytes(damage)
    library = load(packs_dir, cache)
    assert len(parsed) == BUILT_IN and library.problems == []
    assert len(library.packs) == BUILT_IN
