"""产业领域 — which industry or field a patent belongs to, by its IPC/CPC codes.

* :mod:`~ipcore.industries.sei` — CNIPA's 2021 concordance of strategic emerging industries
  to IPC, the official definition (9 industries, 40 sub-categories);
* :mod:`~ipcore.industries.key_fields` — the plan's seven key fields, editable data built on
  the concordance;
* :mod:`~ipcore.industries.rules` and :mod:`~ipcore.industries.patterns` — the one matcher
  both use (and the notation definitions are written in).

WIPO's 35 technology fields are :mod:`ipcore.technology`.
"""

from ipcore.industries.patterns import ClassPattern, PatternError, Scope, Verdict, parse_pattern
from ipcore.industries.rules import (
    FieldDefinition,
    FieldSet,
    Match,
    Rule,
    RuleSyntaxError,
    format_rules,
    parse_rules,
)
from ipcore.industries.sei import SeiCategory, SeiConcordance, sei_concordance

__all__ = [
    "ClassPattern",
    "FieldDefinition",
    "FieldSet",
    "Match",
    "PatternError",
    "Rule",
    "RuleSyntaxError",
    "Scope",
    "SeiCategory",
    "SeiConcordance",
    "Verdict",
    "format_rules",
    "parse_pattern",
    "parse_rules",
    "sei_concordance",
]
