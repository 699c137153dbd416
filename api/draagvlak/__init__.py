"""Public support (draagvlak) per location: signal trends and the view beside them."""
