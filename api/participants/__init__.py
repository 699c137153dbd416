"""Participants: the people in the programme, with field-level access."""
