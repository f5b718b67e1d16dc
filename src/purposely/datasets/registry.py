"""The model registry: which model was trained on which snapshots, and whether it still may be.

A model trained on a snapshot that has since gone stale (a member withdrew or objected, a
post was deleted or turned private, a member was erased) needs retraining on a rebuilt
snapshot. No training framework tracks this; registering models here lets a member's
objection reach them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from purposely.datasets import lineage
from purposely.errors import PurposelyError
from purposely.store.models import Model, ModelSnapshot


@dataclass(frozen=True)
class ModelInfo:
    """A registered model and the state of the snapshots it was trained on."""

    name: str
    registered_at: datetime
    registered_by: str
    note: str | None
    snapshots: tuple[lineage.SnapshotInfo, ...]

    @property
    def stale(self) -> dict[str, dict[str, int]]:
        """Stale samples by reason, per snapshot it was trained on that went stale."""
        return {s.id: s.stale for s in self.snapshots if s.stale}

    @property
    def needs_retraining(self) -> bool:
        """True if a snapshot it was trained on holds samples the gate would now withhold."""
        return bool(self.stale)


def register(
    conn: Connection, name: str, snapshot_refs: Sequence[str], *, by: str, note: str | None = None
) -> ModelInfo:
    """Register model ``name`` as trained on the snapshots named by ``snapshot_refs``."""
    if not name.strip():
        raise PurposelyError("a model needs a name")
    if not snapshot_refs:
        raise PurposelyError("name the snapshots the model was trained on: --trained-on SNAPSHOT")
    if conn.scalar(select(Model.name).where(Model.name == name)) is not None:
        raise PurposelyError(f"a model named {name!r} is registered already: pick another name")
    ids = sorted({lineage.resolve(conn, ref) for ref in snapshot_refs})
    conn.execute(
        insert(Model),
        [{"name": name, "registered_at": datetime.now(UTC), "registered_by": by, "note": note}],
    )
    conn.execute(insert(ModelSnapshot), [{"model_name": name, "snapshot_id": i} for i in ids])
    return info(conn, name)


def info(conn: Connection, name: str) -> ModelInfo:
    """One registered model."""
    row = conn.execute(select(Model.__table__).where(Model.__table__.c.name == name)).first()
    if row is None:
        raise PurposelyError(f"no model named {name!r}: `purposely model list` shows them")
    ids = conn.scalars(
        select(ModelSnapshot.snapshot_id)
        .where(ModelSnapshot.model_name == name)
        .order_by(ModelSnapshot.snapshot_id)
    )
    snapshots = tuple(lineage.info(conn, snapshot_id) for snapshot_id in ids)
    return ModelInfo(row.name, row.registered_at, row.registered_by, row.note, snapshots)


def all_models(conn: Connection) -> list[ModelInfo]:
    """Every registered model, by name."""
    return [info(conn, name) for name in conn.scalars(select(Model.name).order_by(Model.name))]


def trained_on(conn: Connection, snapshot_ids: Sequence[str]) -> list[str]:
    """Names of the models trained on any of ``snapshot_ids``."""
    query = (
        select(ModelSnapshot.model_name)
        .where(ModelSnapshot.snapshot_id.in_(list(snapshot_ids)))
        .distinct()
        .order_by(ModelSnapshot.model_name)
    )
    return list(conn.scalars(query))
