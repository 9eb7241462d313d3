"""Patent records as every importer produces them, independent of any file format or database."""
