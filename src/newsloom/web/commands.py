"""``newsloom serve``: the web interface and JSON API over one store."""
from __future__ import annotations

import os
import sys

import fastapi  # noqa: F401 - without the web dependencies this module (and the command) is left out
import jinja2  # noqa: F401


def add_commands(subparsers) -> None:
    p = subparsers.add_parser("serve", help="web interface and JSON API (http://127.0.0.1:8000)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", default=None,
                   help="bearer token that allows POST /api/v1/articles (default $NEWSLOOM_API_TOKEN; none: read-only)")
    p.add_argument("--no-warm", action="store_true",
                   help="do not compute the comparisons of multi-article events in the background at start")
    p.set_defaults(handler=serve, needs_store=False)


def serve(loom, args) -> int:
    import uvicorn

    from newsloom.web.app import create_app

    token = args.token if args.token is not None else os.environ.get("NEWSLOOM_API_TOKEN")
    app = create_app(args.db, token=token, warm_comparisons=not args.no_warm)
    print(f"newsloom: serving {args.db} on http://{args.host}:{args.port}/ "
          f"(writing {'on' if token else 'off'})", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
