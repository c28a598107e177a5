"""With a TMDB key, the snapshot job fetches /recommendations and /similar for liked titles without links."""

from __future__ import annotations

from chalicelib import db
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1"


def test_the_job_fetches_tmdb_links_once_and_explains_with_them(client, make_user, settings_env):
    tmdb = FakeTmdb().start()
    try:
        settings_env(**support.upstream_env(tmdb, None))
        support.reset_process_state()
        with db.connection() as conn:
            matrix = conn.execute("INSERT INTO media_items (media_type, title, tmdb_id) VALUES ('movie', 'The Matrix',"
                                  " 603) RETURNING id").fetchone()["id"]
        _, headers = make_user()
        api = Api(client, headers)
        assert api("POST", f"{V1}/watched", {"mediaId": matrix})[0] == 201
        assert api("PUT", f"{V1}/ratings/{matrix}", {"rating": 9})[0] == 200

        from chalicelib.recommendations import service

        assert service.run_job()["stats"]["computed"] == 1
        fetched = tmdb.paths("/3/movie/603/")
        status, page = api("GET", f"{V1}/recommendations?mediaType=movie")

        assert sorted(fetched) == ["/3/movie/603/recommendations", "/3/movie/603/similar"]
        with db.connection() as conn:
            linked = conn.execute("SELECT count(*) AS n FROM media_relations WHERE media_id = %s AND source = 'tmdb'",
                                  (matrix,)).fetchone()["n"]
        assert linked > 0
        assert status == 200 and page["items"]
        assert page["items"][0]["reasons"][0]["text"] == "Because you rated The Matrix ★★★★½"

        api("PUT", f"{V1}/ratings/{matrix}", {"rating": 10})
        service.run_job()
        assert len(tmdb.paths("/3/movie/603/")) == 2  # stored links are reused, not fetched again
    finally:
        tmdb.stop()
        support.reset_process_state()
