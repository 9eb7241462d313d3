from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ipops.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from ipops.portal import checks  # noqa: F401  (registers the system checks)
