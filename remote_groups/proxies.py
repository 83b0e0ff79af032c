"""Behind a load balancer: trust its X-Forwarded-* headers, and only its.

Why it matters: rate limits are counted per client address. Without this every request
seems to come from the load balancer, so one busy client would use up the limit for
everyone. With it, `request.remote_addr` is the client's address as the balancer saw it.
Trusting more hops than there are proxies would let a client forge its address, so the
number comes from the deployment (PROXY_HOPS), never guessed.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask, hops: int) -> Flask:
    """Take the client address, scheme and host from the last `hops` proxies (0: none)."""
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    return app
