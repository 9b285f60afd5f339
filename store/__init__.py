"""dailyreach's data layer: SQLite storage, status scheme, import and queue.

Never imports the UI (tui, textual, rich); a test enforces it.
"""

from .backup import BackupResult, PurgeResult, RestoreResult
from .breakdown import GROUP_FIELDS
from .cleanup import MapResult, RawStatus
from .db import CONTACT_FIELDS, QueueItem, StatusChange, Store, default_db_path
from .errors import StoreError
from .history import Batch, FieldChange, UndoResult
from .importer import ImportReport, import_file, preview_file
from .scheme import Status, match_status
from .status2 import Status2

__all__ = [
    "BackupResult", "Batch", "CONTACT_FIELDS", "FieldChange", "GROUP_FIELDS", "ImportReport",
    "MapResult", "PurgeResult", "QueueItem", "RawStatus", "RestoreResult", "Status", "Status2",
    "StatusChange", "Store", "StoreError", "UndoResult", "default_db_path", "import_file",
    "match_status", "preview_file",
]
