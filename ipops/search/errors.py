"""Search failures as the service errors every surface (page, API, CLI) presents alike."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ipcore.search.errors import QuerySyntaxError
from ipops.errors import InvalidInput, ServiceError


class IndexMissing(ServiceError):
    code = "search_index_missing"
    http_status = 503
    default_message = gettext_lazy(
        "The search index has not been built yet. Run `ipops reindex`, or wait for the "
        "background indexer."
    )


def query_error(error: QuerySyntaxError) -> InvalidInput:
    """A query that cannot be read: the message in the reader's language, and the column."""
    chinese = (get_language() or "zh").startswith("zh")
    message = error.message_zh if chinese else error.message_en
    where = _("column %(column)d") % {"column": error.column}
    return InvalidInput(
        f"{where}: {message}",
        code="query_syntax",
        details={"query": [f"{where}: {message}"], "column": error.column, "rule": error.code},
    )
