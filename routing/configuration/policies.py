"""Fallback policies, per language of an association: who may be offered a contact after how long a wait,
and what happens when nobody answers (a callback, the crisis line). A language without one gets the
default policy."""

from __future__ import annotations

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, delete_audited, flush_changes, record_change
from routing.configuration.checks import canonical_code, check_language
from routing.errors import NotFoundError
from schemas.policy import ListenerStep, PolicySteps, default_policy
from schemas.tables import FallbackPolicy


def get_policy(session: Session, association_id: int, language: str) -> FallbackPolicy | None:
    query = select(FallbackPolicy).where(
        FallbackPolicy.association_id == association_id, FallbackPolicy.language == canonical_code(language)
    )
    return session.exec(query).first()


def list_policies(session: Session, association_id: int) -> list[FallbackPolicy]:
    query = select(FallbackPolicy).where(FallbackPolicy.association_id == association_id)
    return list(session.exec(query.order_by(col(FallbackPolicy.language))))


def effective_steps(
    session: Session, association_id: int, language: str
) -> tuple[PolicySteps, FallbackPolicy | None]:
    """The association's policy for the language, or the default when it has set none."""
    row = get_policy(session, association_id, language)
    if row is None:
        return default_policy(canonical_code(language)), None
    return PolicySteps.model_validate({"steps": row.steps}), row


def _checked_policy(steps: PolicySteps) -> PolicySteps:
    for i, step in enumerate(steps.steps):
        if isinstance(step, ListenerStep):
            step.languages = [check_language(code, f"steps.{i}.languages") for code in step.languages]
    return steps


def set_policy(
    session: Session, association_id: int, language: str, steps: PolicySteps, actor: Actor
) -> FallbackPolicy:
    """Create or replace the language's policy (a PUT: the whole list of steps at once)."""
    language = check_language(language, "language", location="path")
    dumped = _checked_policy(steps).model_dump(mode="json")["steps"]
    row = get_policy(session, association_id, language)
    action = "update" if row else "create"
    if row is None:
        row = FallbackPolicy(
            association_id=association_id, language=language, steps=dumped, updated_at=actor.at
        )
        session.add(row)
    else:
        row.steps = dumped
        row.updated_at = actor.at
    subject = Subject("fallback_policy", language, association_id)
    record_change(session, actor, action, subject, {"steps": dumped})
    flush_changes(session)
    return row


def delete_policy(session: Session, association_id: int, language: str, actor: Actor) -> None:
    row = get_policy(session, association_id, language)
    if row is None:
        raise NotFoundError(f"no fallback policy set for {language!r}")
    delete_audited(session, actor, row, Subject("fallback_policy", language, association_id), {})
