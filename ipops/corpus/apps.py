from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorpusConfig(AppConfig):
    name = "ipops.corpus"
    label = "corpus"
    verbose_name = _("Patent corpus")
