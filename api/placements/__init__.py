"""Placements: stays of participants at locations, with the capacity rules."""
