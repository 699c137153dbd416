"""The budget report (``/reports/budget``): budget neutrality per year, quarter and scheme."""
