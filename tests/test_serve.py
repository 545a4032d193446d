"""``drillcoach serve``: the same TUI in a web browser (textual-serve). A real server
process on a free port, driven from headless Chromium (Playwright on Debian's
``chromium``): Today shows, a drill is answered, revealed and rated with the browser's
keys, and the rating is in the store. And the mistakes: a remote address without
--allow-remote, a bad port, a port in use, the web extra missing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_report_html import example_script

from drillcoach.cli import main
from drillcoach.events import SelfRating
from drillcoach.services import open_services
from drillcoach.store import Store
from helpers import write_config

DRILL = "objections-core/price-too-high"  # the first new drill of the one pack enabled
ANSWER = "Fair question. Too high compared with what?"
ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- mistakes: one line, exit 2, nothing served


def test_a_remote_address_needs_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert code == 2
    assert err.strip() == (
        "drillcoach: --host 0.0.0.0: not this machine's loopback address, so anyone who can "
        "reach it could use this profile; add --allow-remote to serve it anyway"
    )


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_port_must_be_a_port_number(capsys: pytest.CaptureFixture[str], port: str) -> None:
    code, err = run(capsys, "serve", "--port", port)
    assert code == 2
    assert err.strip() == f"drillcoach: --port {port}: expected a port number from 1 to 65535"


def test_a_port_in_use_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = run(capsys, "serve", "--port", str(port))
    assert code == 2
    assert err.startswith(f"drillcoach: --port {port}: cannot listen on 127.0.0.1:{port} (")
    assert err.strip().endswith("choose another with --port") and err.count("\n") == 1


def test_the_web_extra_missing_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    code, err = run(capsys, "serve", "--port", str(free_port()))
    assert code == 2
    assert err.strip() == (
        "drillcoach: drillcoach serve needs the web extra: pip install 'drillcoach[web]'"
    )


# --- in a real browser


@pytest.fixture
def served(drillcoach_home: Path) -> Iterator[str]:
    """``drillcoach serve`` on a free port over a welcomed profile that drills one pack;
    its URL. The server is stopped with ctrl+c (SIGINT) afterwards."""
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    write_config(drillcoach_home)
    services = open_services(drillcoach_home)
    try:
        services.prefs.set_welcomed()
        services.prefs.set_enabled_packs(["objections-core"])
    finally:
        services.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "drillcoach", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "DRILLCOACH_HOME": str(drillcoach_home)},
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline().decode()
        url = f"http://127.0.0.1:{port}"
        assert first == f"drillcoach in your browser: {url}  (ctrl+c stops it)\n", first
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()


def until(
    check: Callable[[], bool], what: str, pause: Callable[[], object], seconds: float = 30
) -> None:
    """Wait for ``check``, calling ``pause`` between looks (Playwright hands its events,
    the websocket's frames among them, to this thread only while one of its calls runs)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        pause()


def test_a_drill_is_answered_and_rated_in_the_browser(
    served: str, drillcoach_home: Path, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    script = example_script()
    if not Path(script.CHROMIUM).exists() and shutil.which(script.CHROMIUM) is None:
        pytest.skip(f"no Chromium at {script.CHROMIUM} (apt-get install chromium)")
    received: list[bytes] = []

    def screen_text() -> str:
        """What the app has sent to the browser's terminal, escape sequences removed."""
        return ESCAPES.sub(b"", b"".join(received)).decode("utf-8", "replace")

    with sync_api.sync_playwright() as playwright:
        browser = script.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            page.on(
                "websocket",
                lambda socket_: socket_.on(
                    "framereceived",
                    lambda payload: received.append(
                        payload if isinstance(payload, bytes) else payload.encode()
                    ),
                ),
            )
            page.goto(served)

            def pause() -> None:
                page.wait_for_timeout(100)

            until(lambda: "Start session" in screen_text(), "Today in the browser", pause)
            assert "Today: 0 due · 5 new" in screen_text()
            page.locator("#terminal").click()
            page.screenshot(path=str(tmp_path / "today.png"))
            assert (tmp_path / "today.png").stat().st_size > 10_000

            page.keyboard.press("Enter")  # Start session
            # the drill's screen, its answer box focused ("esc Leave box" in the footer):
            # its title alone is on Today's queue too
            until(lambda: "Leave box" in screen_text(), "the first drill", pause)
            assert "Your price is too high" in screen_text()
            page.keyboard.type(ANSWER, delay=5)
            until(lambda: "compared with what?" in screen_text(), "the typed answer", pause)
            page.keyboard.press("Control+r")  # reveal
            until(lambda: "Key points" in screen_text(), "the model answer and key points", pause)
            page.keyboard.press("3")  # Good
            with Store(drillcoach_home / "drillcoach.db") as store:
                until(lambda: bool(store.ratings("sam")), "the rating in the store", pause)
                [rating] = store.ratings("sam")
        finally:
            browser.close()
    assert isinstance(rating, SelfRating)
    assert rating.drill_uid == DRILL
    assert rating.rating == 3
    assert rating.answer == ANSWER
