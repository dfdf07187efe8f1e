"""gunicorn settings for the web process (the Procfile's `web:` line reads this file).

Threads, not one process a request: a worker's threads wait for the database and for slow
clients while the others answer Twilio. A client that sends nothing is handed back to the
worker's poller after 5 s, so an idle connection never holds a thread; one that trickles
its request holds a thread while it trickles, which is why the reverse proxy in front (which
must buffer whole requests before it passes them on) is what really keeps slow clients away
from the workers. See "Running it in production" in README.md.
"""

import multiprocessing

from dutyline import environment

env = environment.read()  # the environment, and the .env in the working directory
bind = env["GUNICORN_BIND"] or f"0.0.0.0:{env['PORT']}"
worker_class = "gthread"
workers = int(env["WEB_CONCURRENCY"] or min(multiprocessing.cpu_count() * 2, 8))
# more threads than slow clients a worker may hold at once (see above)
threads = int(env["GUNICORN_THREADS"])
# a worker that does not report for 20 s is restarted: Twilio gave up on its request after 15
timeout = 20
graceful_timeout = 10
keepalive = 5
# the request line and headers Twilio sends are far below these; the body limit is the app's
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# the X-Forwarded-* headers are believed only from the proxy (set to its address)
forwarded_allow_ips = env["FORWARDED_ALLOW_IPS"]


def when_ready(_server):
    """A database the web process cannot use as it is (down, missing, an older schema) is one
    line at start, from a process of its own, so that nothing waits for a database that hangs:
    the workers boot all the same, and callers get the fallback TwiML."""
    import subprocess
    import sys

    subprocess.Popen([sys.executable, "-m", "dutyline.db_check"], stdin=subprocess.DEVNULL)
