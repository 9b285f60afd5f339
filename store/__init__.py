"""dailyreach's data layer: SQLite storage, status scheme, import and queue.

Never imports the UI (tui, textual, rich); a test enforces it.
"""

from .backup import BackupResult, PurgeResult, RestoreResult
from .breakdown import GROUP_FIELDS
from .cleanup import MapResult, RawStatus
from .db import (CONTACT_FIELDS, SEARCH_COUNT_CAP, QueueItem, StatusChange, Store, default_db_path,
                 search_words)
from .errors import NothingToUndo, StoreError
from .history import Batch, FieldChange, UndoResult
from .scheme import Status, match_status
from .status2 import Status2

#: Loaded when first asked for: the readers of every file format are not
#: needed to open the app (its first frame waits for every import).
_IMPORTER = ("ImportReport", "import_file", "preview_file", "workbook_sheets")


def __getattr__(name: str):
    if name in _IMPORTER:
        from . import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BackupResult", "Batch", "CONTACT_FIELDS", "SEARCH_COUNT_CAP", "search_words", "FieldChange", "GROUP_FIELDS", "ImportReport",
    "MapResult", "NothingToUndo", "PurgeResult", "QueueItem", "RawStatus", "RestoreResult", "Status", "Status2",
    "StatusChange", "Store", "StoreError", "UndoResult", "default_db_path", "import_file",
    "match_status", "preview_file", "workbook_sheets",
]
