"""Signals the corpus sends for other apps to react to, without the corpus knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a transaction that wrote search-outbox rows has committed (the search app
# listens and queues its indexer).
corpus_changed = Signal()
