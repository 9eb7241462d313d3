from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ipops.search"
    label = "search"
    verbose_name = _("Patent search")

    def ready(self) -> None:
        from ipops.corpus.signals import corpus_changed
        from ipops.search.receivers import queue_indexer

        corpus_changed.connect(queue_indexer, dispatch_uid="search.queue_indexer")
