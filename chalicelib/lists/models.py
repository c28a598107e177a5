"""The list imports' API models."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from chalicelib.models import ApiModel, RequestModel


class ListImportIn(RequestModel):
    url: str = Field(min_length=1, max_length=2000, description=(
        "A public list: https://trakt.tv/users/{user}/lists/{list}, https://letterboxd.com/{user}/list/{list}/ "
        "or https://www.imdb.com/list/ls…/"))


class ListFileImportIn(RequestModel):
    filename: str = Field(min_length=1, max_length=255, description="The export's file name (for the record)")
    content: str = Field(min_length=1, max_length=6 * 1024 * 1024, description=(
        "The file, base64: a Letterboxd list export (CSV) or an IMDb list export (CSV), at most 4 MB"))


class ListImportStarted(ApiModel):
    """The collection exists now ("Importing…" until the list is read); its ``source`` tells how the sync went."""

    collection_id: UUID
