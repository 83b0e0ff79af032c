"""One app instance with a rate-limited route, served on loopback: run as
`python -m tests.web.limited_instance <storage-uri> <key-prefix>` from the project root.
Prints its port, then serves until terminated. Used to show that separate processes share
rate limits only through a shared store."""

from __future__ import annotations

import sys

from werkzeug.serving import make_server

from remote_groups import create_app
from remote_groups.extensions import limiter


def main(storage_uri: str, key_prefix: str) -> None:
    app = create_app({
        "RG_MODE": "test",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_KEY_PREFIX": key_prefix,
    })

    @limiter.limit("3 per minute")
    def limited() -> str:
        return "ok"

    app.add_url_rule("/limited", view_func=limited)
    server = make_server("127.0.0.1", 0, app)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
