"""The progress report (``/reports/progress``): Dutch level and work per group."""
