"""Reception locations and their capacity over time."""
