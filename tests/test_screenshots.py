"""The README's screenshots come from scripts/screenshots.py and must match the app."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_screenshots_are_current(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "screenshots", ROOT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made: list[Path] = asyncio.run(module.capture(tmp_path))
    assert [path.name for path in made] == ["today.svg", "drill-revealed.svg", "progress.svg"]
    for path in made:
        fresh = path.read_text(encoding="utf-8")
        assert "Sam" in fresh
        committed = (ROOT / "docs" / path.name).read_text(encoding="utf-8")
        assert fresh == committed, f"docs/{path.name} is stale: run python scripts/screenshots.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/today.svg" in readme and "docs/drill-revealed.svg" in readme
    assert "docs/progress.svg" in readme
