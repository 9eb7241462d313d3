"""ipcore — the framework-free domain of ipops.

Identifiers, legal status, fee and term rules, query language, indicator and valuation
formulas, access rules, state machines: frozen dataclasses and pure functions. Nothing here
imports Django or ipops (an import-linter contract enforces it), so every rule can be tested
and reused without a database.
"""
