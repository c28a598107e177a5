-- Next episode ready and the storage janitor (issue 20, item 2).
-- playback_next_up: per user and show, the episode made ready while the previous one played (the
-- prefetch's outcome, and what the janitor must not evict until expires_at).
-- storage_evictions: every variant the janitor deleted (why, how many bytes), for the admin.
-- depends: 0013_quality_profile
CREATE TABLE playback_next_up (
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    media_id         bigint      NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    episode_id       bigint      NOT NULL,
    after_episode_id bigint      NOT NULL,
    -- library: already in the library; prioritized: its file asked first in a running season pack;
    -- downloading: a job of the user covers it; picked: a pick was made and its download started.
    how              text        NOT NULL CHECK (how IN ('library', 'prioritized', 'downloading', 'picked')),
    job_id           uuid        REFERENCES download_jobs (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, media_id),
    CONSTRAINT playback_next_up_episode_fkey FOREIGN KEY (episode_id, media_id)
        REFERENCES episodes (id, media_id) ON DELETE CASCADE
);
CREATE INDEX playback_next_up_episode_idx ON playback_next_up (episode_id, expires_at);
COMMENT ON TABLE playback_next_up IS 'The next episode made ready per user and show (protected from eviction).';

CREATE TABLE storage_evictions (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library_item_id  uuid        REFERENCES library_items (id) ON DELETE SET NULL,
    kind             text        NOT NULL CHECK (kind <> ''),
    -- The object, or the prefix of an HLS variant's playlist and segments.
    storage_key      text        NOT NULL CHECK (storage_key <> ''),
    objects          integer     NOT NULL CHECK (objects >= 0),
    size_bytes       bigint      NOT NULL CHECK (size_bytes >= 0),
    reason           text        NOT NULL CHECK (reason IN ('quota', 'age')),
    evicted_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storage_evictions_evicted_idx ON storage_evictions (evicted_at DESC);
COMMENT ON TABLE storage_evictions IS 'Made variants the storage janitor deleted (they can be made again).';
