"""专利价值评估 — indicators, cohort percentiles, value scores, high-value patents, portfolios.

Modules: ``facts`` (the inputs), ``indicators`` (each indicator a documented pure function),
``cohorts`` (field × filing-year percentiles), ``weights`` (versioned weights per purpose),
``scores`` and ``explain`` (scores in numbers and words), ``columns`` (the same for a whole
corpus at once, with numpy), ``high_value`` (CNIPA's five criteria), ``portfolios``
(composition, standing against the plan's target, PatentSight-style strength).
"""
