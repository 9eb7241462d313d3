"""`ipops compilemessages` — compile .po to .mo with polib, so no GNU gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) in pure Python."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(
                    f"{po_path.relative_to(settings.BASE_DIR)}: "
                    f"{len(catalogue.translated_entries())} messages"
                )
        if not compiled:
            self.stderr.write("No translation catalogues found.")
