"""Imports of CSV and XLSX files: ``POST /imports/{kind}`` and ``opvang import``."""
