"""The languages a coordinator can choose from: the 22 scheduled languages of India plus English, named by
Babel in the language itself. Public: no key needed."""

from __future__ import annotations

from fastapi import APIRouter

from locales.language_names import scheduled_languages
from schemas.api import CatalogLanguage

router = APIRouter(tags=["catalog"])


@router.get("/languages", response_model=list[CatalogLanguage])
def list_scheduled_languages() -> list[CatalogLanguage]:
    return [
        CatalogLanguage(
            code=name.code,
            native_name=name.native_name,
            english_name=name.english_name,
            right_to_left=name.right_to_left,
        )
        for name in scheduled_languages()
    ]
