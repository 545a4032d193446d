"""``drillcoach serve``: the same TUI in a web browser, through textual-serve (the ``web``
extra). Each browser tab runs its own drillcoach on this profile, as a terminal would.
It listens on this machine's loopback address; any other address needs --allow-remote,
since whoever reaches it uses the profile (there is no password)."""

from __future__ import annotations

import argparse
from typing import Any

from drillcoach.errors import UserError

WEB_MISSING = "drillcoach serve needs the web extra: pip install 'drillcoach[web]'"
DEFAULT_PORT = 8000


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="the same drillcoach in a web browser (needs the web extra)",
        description="Serve drillcoach's screens to a web browser (textual-serve). Each tab "
        "runs drillcoach on this profile. Listens on 127.0.0.1 (this machine only) unless "
        "--host names another address with --allow-remote.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", default=str(DEFAULT_PORT), help=f"the port to listen on (default: {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on an address other machines can reach: anyone who reaches it uses "
        "this profile, its ratings and coaching notes",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers open, when it is not http://HOST:PORT (a proxy, or a "
        "host of 0.0.0.0)",
    )
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    import shlex
    import sys

    port = _port(args.port)
    host = args.host.strip()
    remote = not _loopback(host)
    if remote and not args.allow_remote:
        raise UserError(
            f"--host {host}: not this machine's loopback address, so anyone who can reach "
            "it could use this profile; add --allow-remote to serve it anyway"
        )
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UserError(WEB_MISSING) from None
    _check_free(host, port)
    command = [sys.executable, "-m", "drillcoach"]
    if args.home:
        command += ["--home", args.home]
    url = args.public_url or f"http://{_url_host(host)}:{port}"
    server = Server(shlex.join(command), host=host, port=port, title="drillcoach",
                    public_url=args.public_url)  # fmt: skip
    if remote:
        print(f"drillcoach: warning: serving on {host}:{port}. Anyone who can reach it uses "
              "this profile (its ratings, vision and coaching notes); there is no password.",
              file=sys.stderr)  # fmt: skip
    print(f"drillcoach in your browser: {url}  (ctrl+c stops it)", flush=True)
    server.serve()
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise UserError(f"--port {text}: expected a port number from 1 to 65535")
    return port


def _loopback(host: str) -> bool:
    """Whether every address ``host`` names is this machine's loopback (unknown names
    are refused: serve would not know where it listens)."""
    import ipaddress
    import socket

    try:
        found = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        raise UserError(f"--host {host}: no such address on this machine") from None
    return all(ipaddress.ip_address(str(address[4][0]).split("%")[0]).is_loopback
               for address in found)  # fmt: skip


def _check_free(host: str, port: int) -> None:
    """One line, not aiohttp's traceback, when the port is taken or not ours to use."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UserError(
                f"--port {port}: cannot listen on {host}:{port} ({error.strerror}); "
                "choose another with --port"
            ) from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
