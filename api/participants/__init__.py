"""Participants: the people in the programme, with field-level access, and their privacy
(AVG): subject access (``export``), erasure of what anonymising leaves behind
(``erasure``) and the retention run (``retention``)."""
