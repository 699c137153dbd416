"""Reports as downloadable CSV and XLSX."""
