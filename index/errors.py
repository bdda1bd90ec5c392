"""One exception hierarchy for the project: every error gongbao raises on purpose is a `GongbaoError`.

    GongbaoError
    ├── UnreadableFileError   (index.decode)   a file that is empty, binary or not Chinese text
    ├── UploadError           (index.uploads)  an upload that cannot be served
    ├── IndexMismatchError    (index.store)    an index built with another format or embedder
    ├── IndexDirError         (index.store)    an index folder the project did not make, or one overlapping the corpus
    ├── UnknownModeError                       an answer mode that does not exist or is not configured
    ├── UnknownFilterError                     a search filter key that does not exist
    └── NotFoundError                          no document with that id

The HTTP API renders each as its JSON error (`status`, `code`); the CLI prints the message. Each class keeps the
built-in base its callers caught before (ValueError, KeyError, RuntimeError), so older handlers still work.
"""

from __future__ import annotations


class GongbaoError(Exception):
    """Base of every error gongbao raises on purpose. `status` and `code` are the HTTP API's rendering."""

    status = 422
    code = "invalid_request"


class UnknownModeError(GongbaoError, ValueError):
    """An answer mode that does not exist or is not configured on this deployment."""


class UnknownFilterError(GongbaoError, ValueError):
    """A search filter key that does not exist."""


class NotFoundError(GongbaoError, KeyError):
    """No document with the given id."""

    status = 404
    code = "not_found"

    def __str__(self) -> str:  # KeyError would quote its argument; the message reads as written
        return str(self.args[0]) if self.args else ""
