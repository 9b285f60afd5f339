"""dailyreach's data layer: SQLite storage, status scheme, import and queue.

Never imports the UI (tui, textual, rich); a test enforces it.
"""

from .db import CONTACT_FIELDS, QueueItem, StatusChange, Store, default_db_path
from .errors import StoreError
from .importer import ImportReport, import_file, preview_file
from .scheme import Status, match_status

__all__ = [
    "CONTACT_FIELDS", "ImportReport", "QueueItem", "Status", "StatusChange", "Store",
    "StoreError", "default_db_path", "import_file", "match_status", "preview_file",
]
