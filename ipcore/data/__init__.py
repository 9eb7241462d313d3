"""Reference tables read by ipcore (see PROVENANCE.md).

A package, not a plain folder, so that setuptools' package discovery ships the CSV files in
a wheel.
"""
