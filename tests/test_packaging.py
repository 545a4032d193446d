"""Packaging: ``python -m build`` makes a wheel and an sdist that carry the built-in packs
(drills/), the shared content (content/), every .tcss and py.typed, and nothing of the
tests or the bench; the wheel installed in a fresh venv, and ``pipx install`` of the
checkout, give a ``drillcoach`` that says the version of src/drillcoach/__init__.py and
runs ``packs validate`` and ``today`` on its own copy of the built-in packs.

Slow (it builds, makes venvs and installs from the package index: tens of seconds), so
marked ``slow``; it still runs in the default suite, as CI runs everything."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import pytest

from drillcoach import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "drillcoach"
# building, making a venv and installing (from the index, through pip's cache)
INSTALL_TIMEOUT = 300


@dataclass(frozen=True)
class Built:
    wheel: Path
    sdist: Path


def run(
    argv: Sequence[str | Path], *, home: Path | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A process with the environment of the tests, minus anything that would let it import
    drillcoach from elsewhere than where it was installed."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    if home is not None:
        env["DRILLCOACH_HOME"] = str(home)
    return subprocess.run(
        [str(word) for word in argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=INSTALL_TIMEOUT,
    )


def succeeded(done: subprocess.CompletedProcess[str]) -> str:
    """Its stdout, once it exited 0 (else a failure showing what it said)."""
    assert done.returncode == 0, (
        f"{' '.join(map(str, done.args))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def checkout_files(folder: str, pattern: str = "*") -> set[str]:
    """Paths (relative to the checkout) of the files under ``folder`` matching ``pattern``."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }


def builtin_content() -> set[str]:
    """What the wheel must carry in drillcoach/_builtin: every file of drills/ and content/."""
    return checkout_files("drills") | checkout_files("content")


def version_in_source() -> str:
    """``__version__`` as written in src/drillcoach/__init__.py, where hatch reads it."""
    text = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    assert found is not None, "no __version__ line in src/drillcoach/__init__.py"
    return found.group(1)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sdist, and the wheel built from it (build's default: so the sdist is enough)."""
    out = tmp_path_factory.mktemp("dist")
    done = run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=out)
    if "No module named build" in done.stderr:
        pytest.fail("`build` is missing: pip install '.[test]' (it is in the test extra)")
    succeeded(done)
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(path.name for path in out.iterdir())
    return Built(wheels[0], sdists[0])


@pytest.fixture(scope="session")
def wheel_names(built: Built) -> set[str]:
    with zipfile.ZipFile(built.wheel) as wheel:
        return set(wheel.namelist())


@pytest.fixture(scope="session")
def sdist_names(built: Built) -> set[str]:
    """Names in the sdist, without its top folder ``drillcoach-VERSION/``."""
    with tarfile.open(built.sdist) as sdist:
        names = [member.name for member in sdist.getmembers() if member.isfile()]
    top = f"drillcoach-{__version__}/"
    assert all(name.startswith(top) for name in names), names
    return {name.removeprefix(top) for name in names}


@pytest.fixture(scope="session")
def venv(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed, its dependencies resolved by pip."""
    where = tmp_path_factory.mktemp("venv") / "venv"
    succeeded(run([sys.executable, "-m", "venv", "--without-pip", where]))
    # this pip installing into the new venv: quicker than seeding the venv with a pip of its own
    into: list[str | Path] = ["--python", where / "bin" / "python"]  # before the subcommand
    succeeded(run([sys.executable, "-m", "pip", *into, "install", "--no-compile", built.wheel]))
    return where


# --- what the archives hold


def test_wheel_carries_the_builtin_packs_and_content(wheel_names: set[str]) -> None:
    wanted = {f"drillcoach/_builtin/{name}" for name in builtin_content()}
    assert {name for name in wanted if name.endswith(".toml")}, "no drills/ or content/ TOML"
    assert wanted - wheel_names == set()
    builtin = {name for name in wheel_names if name.startswith("drillcoach/_builtin/")}
    assert builtin == wanted  # only those


def test_wheel_carries_every_module_style_and_py_typed(wheel_names: set[str]) -> None:
    styles = checkout_files("src/drillcoach", "*.tcss")
    assert len(styles) > 10, styles  # the screens' own .tcss
    wanted = {
        name.removeprefix("src/")
        for name in styles | checkout_files("src/drillcoach", "*.py")
        | {"src/drillcoach/py.typed"}
    }  # fmt: skip
    assert wanted - wheel_names == set()


def test_wheel_holds_only_the_package(wheel_names: set[str]) -> None:
    dist_info = f"drillcoach-{__version__}.dist-info/"
    strays = {
        name
        for name in wheel_names
        if not name.startswith(("drillcoach/", dist_info))
        or "__pycache__" in name
        or name.endswith((".pyc", ".db"))
    }
    assert strays == set()
    for junk in ("tests/", "bench/", "scripts/", "mutants/", "drillcoach/tests/"):
        assert not any(name.startswith(junk) for name in wheel_names), junk


def test_wheel_metadata_has_the_source_version_and_the_command(built: Built) -> None:
    assert version_in_source() == __version__
    with zipfile.ZipFile(built.wheel) as wheel:
        info = f"drillcoach-{__version__}.dist-info"
        metadata = HeaderParser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert metadata["Name"] == "drillcoach"
    assert metadata["Version"] == __version__
    assert built.wheel.name == f"drillcoach-{__version__}-py3-none-any.whl"
    assert "drillcoach = drillcoach.cli:main" in entry_points
    requires = metadata.get_all("Requires-Dist") or []
    for dependency in ("textual", "fsrs", "tomli-w", "platformdirs"):
        assert any(line.startswith(dependency) for line in requires), requires


def test_the_version_is_hatchs_dynamic_one_from_init() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/drillcoach/__init__.py"


def test_sdist_carries_sources_packs_content_and_styles(sdist_names: set[str]) -> None:
    wanted = (
        builtin_content()
        | checkout_files("src/drillcoach", "*.py")
        | checkout_files("src/drillcoach", "*.tcss")
        | {"src/drillcoach/py.typed", "pyproject.toml", "README.md", "PKG-INFO", "LICENSE"}
        # what the suite in the sdist needs: the bench's modules, the README's pictures
        | {"bench/run.py", "bench/measure.py", "docs/today.svg", "docs/progress.svg", ".ci/run"}
    )
    assert wanted - sdist_names == set()
    strays = {
        name
        for name in sdist_names
        if "__pycache__" in name
        or name.endswith(".pyc")
        or name.startswith((".venv", "mutants/", "bench/.data/", "dist/"))
    }
    assert strays == set()


def test_sdist_metadata_has_the_source_version(built: Built) -> None:
    assert built.sdist.name == f"drillcoach-{__version__}.tar.gz"
    with tarfile.open(built.sdist) as sdist:
        member = sdist.extractfile(f"drillcoach-{__version__}/PKG-INFO")
        assert member is not None
        metadata = HeaderParser().parsestr(member.read().decode())
    assert metadata["Version"] == __version__


# --- the wheel installed in a fresh venv

# Run by the venv's Python: where drillcoach and its built-in folder are, every CSS_PATH
# of the TUI resolved as Textual does (beside the class's module), and the app started
# headless on a new profile.
PROBE = """
import asyncio, importlib, inspect, json, pkgutil
from pathlib import Path

import drillcoach
import drillcoach.tui
from drillcoach.content import builtin_root

package = Path(drillcoach.__file__).parent
styles, missing = set(), set()
for info in pkgutil.walk_packages(drillcoach.tui.__path__, "drillcoach.tui."):
    module = importlib.import_module(info.name)
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__ or "CSS_PATH" not in vars(cls):
            continue
        paths = cls.CSS_PATH if isinstance(cls.CSS_PATH, list) else [cls.CSS_PATH]
        for path in paths:
            found = Path(inspect.getfile(cls)).parent / path
            (styles if found.is_file() else missing).add(found.relative_to(package).as_posix())


async def start():
    from drillcoach.tui.app import make_app

    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = type(app.screen).__name__
    app.services.close()
    return screen


print(json.dumps({
    "package": str(package),
    "builtin": str(builtin_root()),
    "installed_styles": sorted(p.relative_to(package).as_posix() for p in package.rglob("*.tcss")),
    "styles": sorted(styles),
    "missing": sorted(missing),
    "screen": asyncio.run(start()),
}))
"""


def test_installed_version_matches_the_source_and_the_wheel(
    venv: Path, drillcoach_home: Path, tmp_path: Path
) -> None:
    out = succeeded(run([venv / "bin" / "drillcoach", "--version"], home=drillcoach_home))
    assert out == f"drillcoach {__version__}\n"
    metadata = "from importlib.metadata import version; print(version('drillcoach'))"
    shown = succeeded(run([venv / "bin" / "python", "-c", metadata], cwd=tmp_path))
    assert shown == f"{__version__}\n"


def test_installed_packs_validate_reads_its_own_builtin_packs(
    venv: Path, drillcoach_home: Path, tmp_path: Path
) -> None:
    done = run(
        [venv / "bin" / "drillcoach", "packs", "validate"], home=drillcoach_home, cwd=tmp_path
    )
    out = succeeded(done)
    packs = len(list((ROOT / "drills").glob("*.toml")))
    assert re.fullmatch(rf"ok: {packs} pack\(s\), \d+ drills, no problems\n", out), out
    assert done.stderr == ""


def test_installed_today_lists_new_drills_on_a_new_profile(
    venv: Path, drillcoach_home: Path, tmp_path: Path
) -> None:
    done = run([venv / "bin" / "drillcoach", "today"], home=drillcoach_home, cwd=tmp_path)
    out = succeeded(done)
    assert out.startswith("Today for "), out
    assert re.search(r"Today: 0 due . [1-9]\d* new", out), out
    assert re.search(r"^ +1\. new ", out, re.MULTILINE), out
    assert "Traceback" not in done.stderr
    assert (drillcoach_home / "drillcoach.db").is_file()  # the profile is DRILLCOACH_HOME's


def test_installed_package_finds_its_builtin_folder_and_every_style(
    venv: Path, drillcoach_home: Path, tmp_path: Path
) -> None:
    done = run([venv / "bin" / "python", "-c", PROBE], home=drillcoach_home, cwd=tmp_path)
    found = json.loads(succeeded(done).splitlines()[-1])
    package = Path(found["package"])
    assert package.is_relative_to(venv), package  # the installed copy, not src/
    assert Path(found["builtin"]) == package / "_builtin"
    assert found["missing"] == []
    styles = {name.removeprefix("src/drillcoach/") for name in checkout_files("src", "*.tcss")}
    assert set(found["installed_styles"]) == styles
    assert set(found["styles"]) == styles  # each one is some screen's CSS_PATH
    assert found["screen"] == "WelcomeScreen"  # a new rep starts there; Today is beneath


# --- pipx


def pipx_command(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """pipx beside pytest, else from PATH, else pip-installed into a scratch venv (skip if
    none works)."""
    if importlib.util.find_spec("pipx") is not None:
        return [sys.executable, "-m", "pipx"]
    found = shutil.which("pipx")
    if found is not None:
        return [found]
    scratch = tmp_path_factory.mktemp("pipx-venv") / "venv"
    made = run([sys.executable, "-m", "venv", scratch])
    if made.returncode != 0:
        pytest.skip(f"no pipx on PATH, and no venv to install it into: {made.stderr.strip()}")
    got = run([scratch / "bin" / "python", "-m", "pip", "install", "pipx"])
    if got.returncode != 0:
        last = (got.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"no pipx on PATH, and `pip install pipx` failed: {last}")
    return [str(scratch / "bin" / "python"), "-m", "pipx"]


def test_pipx_install_of_the_checkout(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    drillcoach_home: Path,
    tmp_path: Path,
) -> None:
    pipx = pipx_command(tmp_path_factory)
    where = tmp_path_factory.mktemp("pipx")
    for name, folder in (("PIPX_HOME", "home"), ("PIPX_BIN_DIR", "bin"), ("PIPX_MAN_DIR", "man")):
        monkeypatch.setenv(name, str(where / folder))  # pipx keeps everything in the temp folder
    install: list[str | Path] = [
        "install",
        "--python",
        sys.executable,
        "--pip-args=--no-compile",
        ROOT,
    ]
    succeeded(run([*pipx, *install], cwd=tmp_path))
    command = where / "bin" / "drillcoach"
    out = succeeded(run([command, "--version"], home=drillcoach_home, cwd=tmp_path))
    assert out == f"drillcoach {__version__}\n"
    out = succeeded(run([command, "packs", "validate"], home=drillcoach_home, cwd=tmp_path))
    assert out.startswith("ok: ") and out.endswith(", no problems\n"), out
    out = succeeded(run([command, "today"], home=drillcoach_home, cwd=tmp_path))
    assert out.startswith("Today for "), out
