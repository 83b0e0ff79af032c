"""Entry point for gunicorn: `gunicorn -c gunicorn.conf.py remote_groups.wsgi:app`.

PROXY_HOPS is the number of proxies (load balancers) in front of the app, 0 when clients
connect directly; see remote_groups/proxies.py."""

import os

from . import create_app
from .proxies import trust_proxies

app = trust_proxies(create_app(), hops=int(os.environ.get("PROXY_HOPS", "0") or 0))
