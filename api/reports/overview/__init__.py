"""The overview report (``/reports/overview``): the programme manager's morning figures."""
