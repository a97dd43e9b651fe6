"""Private files: what background jobs produce (exports with people's data).

They live outside MEDIA_ROOT, so the web server never serves them; a view
checks who asks and sends them with FileResponse (see `core:job_download`).

The folder is `settings.PRIVATE_STORAGE_ROOT`, by default `var/private` at the
root of the project. It is read each time, so tests can send it to a temporary
folder with the `settings` fixture.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_PRIVATE_ROOT = PROJECT_DIR / "var" / "private"


def private_storage_root() -> Path:
    """The folder of private files; refused inside MEDIA_ROOT (it would be public)."""
    root = Path(getattr(settings, "PRIVATE_STORAGE_ROOT", None) or DEFAULT_PRIVATE_ROOT)
    root = root.resolve()
    media_root = getattr(settings, "MEDIA_ROOT", "")
    if media_root and root.is_relative_to(Path(media_root).resolve()):
        raise ImproperlyConfigured(
            f"PRIVATE_STORAGE_ROOT ({root}) must not be inside MEDIA_ROOT ({media_root})."
        )
    return root


class PrivateStorage(FileSystemStorage):
    """Files on disk under `private_storage_root()`, with no public address."""

    @property
    def base_location(self) -> str:
        return str(private_storage_root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None  # url() raises: these files are only sent by a view that checks access

    def url(self, name):
        raise ValueError("Private files have no public address: serve them through a view.")


_private_storage = PrivateStorage()

# Uploads waiting for a person to confirm their import (`imports/<organisation>/…`);
# the daily clean-up deletes those older than a day.
IMPORTS_FOLDER = "imports"
IMPORTS_KEPT_SECONDS = 24 * 3600


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so migrations do not freeze its folder)."""
    return _private_storage


def private_files_delete_older_than(*, folder: str, seconds: float) -> int:
    """Delete the files under `folder` of the private storage last changed more than
    `seconds` ago (uploads nobody confirmed); returns how many."""
    import time

    root = private_storage_root() / folder
    if not root.is_dir():
        return 0
    limit = time.time() - seconds
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
