"""The location pipeline (issue 18 §5): candidate locations, scored against the
council's housing criteria, from idea to location."""
