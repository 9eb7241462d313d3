"""Readers of real patent data formats; each yields `PatentRecord`s or `RecordError`s.

See `base.py` for the contract and `registry.py` for the list of formats and how a format is
guessed from a file.
"""
