"""The demo's folder and store: what ``purposely demo`` creates, replaces and asks.

The folder holds the platform file, a SQLite store and its key file, and a note saying the
demo made them. A later run replaces exactly those files, and only in a folder with that
note: a store the demo did not make is never touched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from purposely.demo.platform import FILE_NAME
from purposely.errors import PurposelyError
from purposely.gate import Answer, Gate
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.secret import KEY_FILE_NAME
from purposely.taxonomy import TRAIN_AI

DB_NAME = "purposely.db"
SNAPSHOT_NAME = "train-snapshot"
MARKER_NAME = "PURPOSELY-DEMO.txt"
CALLER = "demo"
MARKER_TEXT = f"""\
This folder was made by `purposely demo`: a synthetic social platform (no real people).

  {FILE_NAME}  the platform in the JSONL interchange format
  {DB_NAME}    a purposely store it was imported into
  {KEY_FILE_NAME}   the store's key (it keys the pseudonyms in the consent ledger)
  {SNAPSHOT_NAME}*/ AI training datasets built from what the gate allowed

Running `purposely demo` again replaces these files. Delete the folder when you are done.
"""


@dataclass(frozen=True)
class DemoFolder:
    """Where the demo keeps its files."""

    path: Path

    @property
    def platform(self) -> Path:
        """The generated JSONL file."""
        return self.path / FILE_NAME

    @property
    def db(self) -> Path:
        """The SQLite database file."""
        return self.path / DB_NAME

    @property
    def key_file(self) -> Path:
        """The installation key of the demo store."""
        return self.path / KEY_FILE_NAME

    @property
    def snapshot(self) -> Path:
        """Where the demo writes its training dataset snapshot."""
        return self.path / SNAPSHOT_NAME

    @property
    def marker(self) -> Path:
        """The note that says the demo made this folder's files."""
        return self.path / MARKER_NAME

    @property
    def url(self) -> str:
        """The store's database URL, relative if the folder was given relative."""
        return f"sqlite:///{self.db.as_posix()}"

    def owned(self) -> list[Path]:
        """Every file a run of the demo writes here (a database brings its journal files)."""
        db = self.db
        journals = [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
        partial = self.platform.with_name(f".{FILE_NAME}.partial")
        # The snapshot, copies the suggested `dataset rebuild` made, and dead builds' leftovers.
        snapshots = sorted(self.path.glob(f"{SNAPSHOT_NAME}*"))
        building = sorted(self.path.glob(f".{SNAPSHOT_NAME}*.partial-*"))
        return [self.platform, partial, db, *journals, self.key_file, *snapshots, *building]


def prepare(path: Path) -> DemoFolder:
    """Make ``path`` ready for a fresh demo: create it, or clear an earlier demo's files.

    Refuses (and changes nothing) if the folder holds a store or key the demo did not make.
    """
    folder = DemoFolder(path)
    if path.exists() and not path.is_dir():
        raise PurposelyError(f"{path} is a file, not a folder: choose another --dir")
    present = [f for f in folder.owned() if f.exists()]
    if present and not folder.marker.exists():
        raise PurposelyError(
            f"{path} already holds {present[0].name}, which `purposely demo` did not make; "
            "leaving it alone: choose another --dir"
        )
    path.mkdir(parents=True, exist_ok=True)
    folder.marker.write_text(MARKER_TEXT, encoding="utf-8")
    for file in present:
        if file.is_dir():
            shutil.rmtree(file)
        else:
            file.unlink(missing_ok=True)
    return folder


def fresh_store(folder: DemoFolder) -> Store:
    """A new, empty store in the folder (call :func:`prepare` first)."""
    return Store.init(folder.url, key_file=folder.key_file)


def build_training_snapshot(store: Store, policy: Policy, folder: DemoFolder) -> str | None:
    """Build the AI training snapshot into the folder; None if the policy has no such purpose."""
    from purposely.datasets.build import build  # numpy, pyarrow: only when building

    if TRAIN_AI not in policy.purposes:
        return None
    return build(store, policy, TRAIN_AI, folder.snapshot, caller=CALLER)


def ask_every_purpose(store: Store, policy: Policy) -> list[Answer]:
    """The gate's answer for each purpose of the policy, in policy order (all audited)."""
    gate = Gate(store, policy)
    return [gate.ask(purpose, caller=CALLER) for purpose in policy.purposes]
