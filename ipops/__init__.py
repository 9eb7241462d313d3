"""ipops — the Django project: settings, URLs, the `ipops` command, one app per bounded
context."""

__version__ = "0.1.0"
