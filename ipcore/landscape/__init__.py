"""专利导航与分析评议 — landscape analytics: the analytic schema, metric specs and their results.

Metrics are declared once here as typed specs over Ibis table expressions
(:mod:`ipcore.landscape.schema`); the ``ipops.landscape`` app binds the tables to a backend
(the live database, DuckDB over a Parquet snapshot, or Spark) and renders the results.
"""
