"""Reports computed in SQL over date ranges, one package per report: ``occupancy``,
``progress``, ``overview`` (which includes the progress figures) and ``budget``; what they
share is in ``shared``."""
