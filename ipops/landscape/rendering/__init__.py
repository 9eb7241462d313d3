"""A landscape report as a reader gets it: an interactive HTML page (ECharts, served locally or
inlined into one file) and an XLSX workbook of every table. Rendering reads a
:class:`ipcore.landscape.results.Report` only — no models, no queries."""
