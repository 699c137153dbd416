"""Reports computed in SQL over date ranges."""
