from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationConfig(AppConfig):
    name = "ipops.valuation"
    label = "valuation"
    verbose_name = _("Patent value and high-value portfolios")

    def ready(self) -> None:
        from ipops.corpus.signals import corpus_changed
        from ipops.valuation.receivers import queue_rescoring

        corpus_changed.connect(queue_rescoring, dispatch_uid="valuation.queue_rescoring")
