from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "ipops.market"
    label = "market"
    verbose_name = _("IP market")

    def ready(self) -> None:
        from ipops.corpus.signals import corpus_changed
        from ipops.market.receivers import queue_lapse_check

        corpus_changed.connect(queue_lapse_check, dispatch_uid="market.queue_lapse_check")
