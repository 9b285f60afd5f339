"""The one exception type the store raises for problems a user can fix."""


class StoreError(Exception):
    """A problem with input or data, with a message meant for the user.

    The CLI prints the message as one line and exits non-zero; the TUI shows
    it as a notification.  Nothing in the database has changed when it is
    raised by a writing function.
    """

    #: For a file whose header names no contact field: the first row's
    #: cells, which a screen can offer to be mapped to fields by hand.
    columns: tuple[str, ...] = ()


class NothingToUndo(StoreError):
    """An undo that has nothing left to revert: the change was undone
    already, or everything it touched was changed again or deleted since.
    Unlike other errors, trying again will never help."""
