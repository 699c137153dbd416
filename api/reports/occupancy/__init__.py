"""The occupancy report (``/reports/occupancy``): per location and day."""
