"""``python -m chalicelib.catalog.genre_files export|import FILE``: the custom-genre review as a file.

``make genres-export OUT=genres.json`` writes every custom genre (slug, name, types, keywords) and its review
sheet: one entry per suggested or decided title with ``"decision": null | "approved" | "rejected"``. Edit the
decisions (and the genres: add one, change its keywords), then ``make genres-import FROM=genres.json`` applies
the file whole, exactly as ``POST /api/v1/admin/genres/review`` does; entries left null stay pending. Importing
the same file twice changes nothing the second time. A new genre's suggestions appear on the next export.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chalicelib.catalog import genre_review
from chalicelib.catalog.genre_models import ReviewImport, ReviewQuery

PAGE = 500


def export(path: Path) -> int:
    """Writes the file; returns the number of titles listed."""
    first = genre_review.sheet(ReviewQuery(page_size=1))
    genres, entries = [], []
    for genre in first.genres:
        genres.append(genre.model_dump(by_alias=True, include={"slug", "name", "media_types", "keywords"}))
        page = 1
        while True:
            sheet = genre_review.sheet(ReviewQuery(genre=genre.slug, page=page, page_size=PAGE))
            entries += [{"genre": genre.slug, "mediaId": i.media_id, "mediaType": i.media_type, "title": i.title,
                         "year": i.year, "decision": i.decision} for i in sheet.items]
            if page * PAGE >= sheet.total:
                break
            page += 1
    path.write_text(json.dumps({"genres": genres, "decisions": entries}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return len(entries)


def load(path: Path) -> ReviewImport:
    """The file as the API's import body: pending entries (decision null) and the titles' labels dropped."""
    data = json.loads(path.read_text(encoding="utf-8"))
    decided = [{"mediaId": d.get("mediaId"), "genre": d.get("genre"), "decision": d.get("decision")}
               for d in data.get("decisions", []) if isinstance(d, dict) and d.get("decision") is not None]
    return ReviewImport.model_validate({"genres": data.get("genres", []), "decisions": decided})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.catalog.genre_files",
                                     description="custom genres: export the review sheet, import decisions")
    parser.add_argument("command", choices=("export", "import"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        print(f"wrote {export(args.file)} titles to review to {args.file}")
        return 0
    try:
        applied = genre_review.apply(load(args.file), decided_by=None)
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    print(f"{applied.genres} genres, {applied.approved} approved, {applied.rejected} rejected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
