"""``newsloom serve``: the web interface and JSON API over one store."""
from __future__ import annotations

import errno
import os
import socket
import sys

import fastapi  # noqa: F401 - without the web dependencies this module (and the command) is left out
import jinja2  # noqa: F401

from newsloom.cli_args import port_number, require_store
from newsloom.errors import UsageError


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("serve", help="web interface and JSON API (http://127.0.0.1:8000)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=port_number, default=8000)
    p.add_argument("--token", default=None,
                   help="bearer token that allows POST /api/v1/articles (default $NEWSLOOM_API_TOKEN; none: read-only)")
    p.add_argument("--no-warm", action="store_true",
                   help="do not compute the comparisons of multi-article events in the background at start")
    p.set_defaults(handler=serve, needs_store=False)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is announced: a busy port or an unknown address is one
    clear error (``UsageError``), never "serving on ..." followed by a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"cannot serve on {host}:{port}: unknown address ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: no wait after a restart
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"cannot serve on {host}:{port}: the port is in use (is newsloom already serving? "
                             f"choose another with --port)") from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def serve(loom, args) -> int:
    import uvicorn

    from newsloom.web.app import create_app

    require_store(args.db)
    token = args.token if args.token is not None else os.environ.get("NEWSLOOM_API_TOKEN")
    app = create_app(args.db, token=token, warm_comparisons=not args.no_warm)
    sock = bind(args.host, args.port)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"newsloom: serving {args.db} on http://{shown_host}:{args.port}/ "
          f"(writing {'on' if token else 'off'}; Ctrl-C stops)", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[sock])
    return 0
