"""The set-based path: participants and placements.

Rows arrive validated in chunks and are staged into a temporary table (``COPY`` on
PostgreSQL, a multi-row insert on SQLite). Once the file is read, the rules that need
the database are checked with a fixed number of statements over the whole staging
table -- duplicate keys inside the file, identifiers held by someone else, unknown
references, open dates, minors' ages -- then the rows are upserted on their natural key
(a participant's ``reference``; a placement's participant and ``startDate``) with
``INSERT ... SELECT`` and ``UPDATE ... FROM``, only where something differs, so a re-run
of the same file changes nothing. Overlaps and capacity are checked after the write, on
what the transaction then holds, the way ``api.placements.rules`` does it for one stay:
the stays of the staged participants that overlap, and the occupancy sweep of
``api.occupancy`` over the touched locations. Every write is fed to the change feed
set-wise too (``record_changes_from``: ``INSERT ... SELECT`` from the staging table),
and new rows get their ids from the database while staged, so nothing per row comes
back to Python: memory stays flat.

The parts: ``staging`` (the temporary table), ``sql`` (what the checks and writes of
both kinds share), and per kind its handler with the checks (``participants``,
``placements``) and its write (``participants_write``, ``placements_write``).
"""

from api.imports.bulk.participants import ParticipantsImport
from api.imports.bulk.placements import PlacementsImport

__all__ = ["ParticipantsImport", "PlacementsImport"]
