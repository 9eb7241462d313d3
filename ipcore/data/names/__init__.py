"""Name-normalisation tables read by :mod:`ipcore.names` (see PROVENANCE.md).

A package, not a plain folder, so that setuptools' package discovery ships the CSV files in
a wheel, as for ``ipcore/data``.
"""
