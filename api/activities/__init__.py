"""Activities of the programme and attendance at their sessions."""
