"""The installation secret that keys subject pseudonyms.

It lives outside the database (DESIGN.md section 6): in ``PURPOSELY_SECRET``, or in a key
file (``PURPOSELY_KEY_FILE``, else ``purposely.key`` beside a SQLite database or in the
working directory). Whoever holds database and key can link ledger entries to subjects;
erasing a subject's row breaks that link for good.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from purposely.errors import StoreNotReadyError

SECRET_ENV = "PURPOSELY_SECRET"
KEY_FILE_ENV = "PURPOSELY_KEY_FILE"
KEY_FILE_NAME = "purposely.key"


def default_key_file(sqlite_path: Path | None) -> Path:
    """Where the key file is looked for when nothing says otherwise."""
    if env := os.environ.get(KEY_FILE_ENV):
        return Path(env)
    base = sqlite_path.parent if sqlite_path is not None else Path.cwd()
    return base / KEY_FILE_NAME


def load_secret(key_file: Path) -> bytes:
    """The secret from the environment or ``key_file``; a clear error if there is none."""
    if env := os.environ.get(SECRET_ENV):
        return env.encode()
    try:
        return key_file.read_text("ascii").strip().encode()
    except FileNotFoundError:
        raise StoreNotReadyError(
            f"no installation secret: {key_file} does not exist and {SECRET_ENV} is not set; "
            "run `purposely init` to create one"
        ) from None


def ensure_secret(key_file: Path) -> bytes:
    """Load the secret, creating a new key file (mode 0600) if there is none anywhere."""
    if os.environ.get(SECRET_ENV) or key_file.exists():
        return load_secret(key_file)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
    return load_secret(key_file)


def pseudonym(secret: bytes, subject_id: str) -> str:
    """The keyed pseudonym (HMAC-SHA256) that names ``subject_id`` in ledger and audit log."""
    return hmac.new(secret, subject_id.encode(), hashlib.sha256).hexdigest()


def fingerprint(secret: bytes) -> str:
    """A value stored in the database to recognise the right secret without revealing it."""
    return hmac.new(secret, b"purposely key fingerprint", hashlib.sha256).hexdigest()
