"""The language menu of an association: which languages callers can choose, by which keypad digit, in which
order, with which voice. Names come from Babel, in the language itself and in English."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api.auth import ActorDep, ScopedAssociation, id_of
from app.deps import SessionDep, commit
from locales.language_names import describe
from routing import configuration
from schemas.api import LanguageCreate, LanguageRead, LanguageUpdate
from schemas.tables import AssociationLanguage

router = APIRouter(prefix="/associations/{association_id}/languages", tags=["languages"])

CodePath = Annotated[
    str, Path(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
]


def present_language(row: AssociationLanguage) -> LanguageRead:
    names = describe(row.code)
    return LanguageRead.model_validate(
        {
            **row.model_dump(),
            "native_name": names.native_name,
            "english_name": names.english_name,
            "right_to_left": names.right_to_left,
        }
    )


@router.get("", response_model=list[LanguageRead])
def list_languages(association: ScopedAssociation, session: SessionDep) -> list[LanguageRead]:
    """In menu order."""
    return [present_language(row) for row in configuration.list_languages(session, id_of(association))]


@router.post("", response_model=LanguageRead, status_code=201)
def add_language(
    association: ScopedAssociation, data: LanguageCreate, actor: ActorDep, session: SessionDep
) -> LanguageRead:
    row = configuration.add_language(session, id_of(association), data, actor)
    commit(session)
    return present_language(row)


@router.get("/{code}", response_model=LanguageRead)
def read_language(association: ScopedAssociation, code: CodePath, session: SessionDep) -> LanguageRead:
    return present_language(configuration.get_language(session, id_of(association), code))


@router.patch("/{code}", response_model=LanguageRead)
def update_language(
    association: ScopedAssociation, code: CodePath, data: LanguageUpdate, actor: ActorDep, session: SessionDep
) -> LanguageRead:
    row = configuration.get_language(session, id_of(association), code)
    configuration.update_language(session, row, data, actor)
    commit(session)
    return present_language(row)


@router.delete("/{code}", status_code=204)
def delete_language(
    association: ScopedAssociation, code: CodePath, actor: ActorDep, session: SessionDep
) -> Response:
    configuration.delete_language(
        session, configuration.get_language(session, id_of(association), code), actor
    )
    commit(session)
    return Response(status_code=204)
