"""Entry point for gunicorn: `gunicorn -c gunicorn.conf.py remote_groups.wsgi:app`.

PROXY_HOPS is the number of proxies (load balancers) in front of the app, 0 when clients
connect directly; see remote_groups/proxies.py."""

from . import create_app
from .proxies import trust_proxies

_app = create_app()
app = trust_proxies(_app, hops=_app.config["PROXY_HOPS"])
