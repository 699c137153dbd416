"""opvang: the system behind Heemstede's social programme for refugee reception."""

API_VERSION = "1.0.0"
