"""The README's pack table lists every built-in pack as the library loads it: its segment,
personas and drill counts. When a pack changes, the failure prints the table to paste."""

from __future__ import annotations

from pathlib import Path

from drillcoach.content import Library


def pack_table(library: Library) -> str:
    lines = [
        "| pack | sells | segment | personas | drills | role-plays | written |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    totals = [0, 0, 0]
    for pack in sorted(library.packs.values(), key=lambda pack: pack.id):
        if pack.origin != "built-in":
            continue
        counts = [
            len(pack.drills),
            sum(drill.is_roleplay for drill in pack.drills),
            sum(drill.kind == "written" for drill in pack.drills),
        ]
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        lines.append(
            f"| `{pack.id}` | {pack.company or 'any product'} | {pack.segment or '-'} | "
            f"{pack.personas or '-'} | " + " | ".join(str(count) for count in counts) + " |"
        )
    lines.append(f"| all {len(lines) - 2} packs | | | | " + " | ".join(map(str, totals)) + " |")
    return "\n".join(lines)


def test_readme_lists_every_pack(library: Library) -> None:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    table = pack_table(library)
    assert table in readme.read_text(encoding="utf-8"), f"README.md's pack table is now:\n{table}"
