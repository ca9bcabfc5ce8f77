"""The unit of work: one database transaction per webhook and per job, and the Redis effects that belong to it.

Routing's modules take a session, write and flush, and never commit: the boundary (the webhook handler or the
job) commits once, when the whole step has succeeded. Redis is not part of that transaction, so a step says
what its Redis effects depend on:

* ``after_commit(session, effect)``: the effect runs only once the boundary's commit succeeded (a job to
  enqueue, a flag nothing in the step reads back);
* ``undo_unless_committed(session, undo)``: the step had to act on Redis at once (it reads the result back in
  the same step: a contact queued and then offered, a listener claimed), and ``undo`` puts Redis back if the
  transaction ends any other way: rolled back, closed uncommitted, or refused by the database.

Both ride on the session itself (SQLAlchemy's transaction events), so whoever commits, a handler, a job or a
test, gets the same behaviour, and a session that is closed without a commit never leaves Redis ahead of the
database. Undos run newest first. A process that dies between a Redis effect and its commit can still leave
Redis ahead; the database stays the truth there: an offer for a contact the database does not know is refused
(``records.record_offer``) and the rebuild restores only what was committed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

Effect = Callable[[], Any]

_AFTER = "samvaad.after_commit"
_UNDO = "samvaad.undo_unless_committed"


@contextlib.contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction, what a job runs in: committed when the block ends, rolled back (its Redis effects
    undone) if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def after_commit(session: OrmSession, effect: Effect) -> None:
    """Run ``effect`` once this session's transaction has committed; never if it does not."""
    session.info.setdefault(_AFTER, []).append(effect)


def undo_unless_committed(session: OrmSession, undo: Effect) -> None:
    """Run ``undo`` if this session's transaction ends without committing (rolled back or abandoned)."""
    session.info.setdefault(_UNDO, []).append(undo)


@event.listens_for(OrmSession, "after_commit")
def _run_effects(session: OrmSession) -> None:
    effects = session.info.pop(_AFTER, [])
    session.info.pop(_UNDO, None)
    for effect in effects:
        effect()


@event.listens_for(OrmSession, "after_transaction_end")
def _run_undos(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint ended; the step's own transaction goes on
    undos = session.info.pop(_UNDO, [])
    session.info.pop(_AFTER, None)
    for undo in reversed(undos):
        with contextlib.suppress(Exception):  # Redis unreachable: the database stays the truth (above)
            undo()
