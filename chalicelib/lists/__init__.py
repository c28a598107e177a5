"""Lists as collections (issue 38): a public Trakt, Letterboxd or IMDb list imported by URL into a collection
that keeps itself in sync (on request and on a schedule); titles missing from the catalog are looked up."""
