-- Playback sessions (issue 37, item 1; chalicelib/playback/sessions.py): what plays for a user, heartbeats, the
-- switch to the next candidate when a download's stream stalls, and resume. Every read is scoped by user_id.

-- name: session_insert(user_id, media_id, season, episode, mode, library_item_id, download_id, file_index, pick_id, device_caps, device_key)^
INSERT INTO playback_sessions (user_id, media_id, season, episode, mode, library_item_id, download_id, file_index,
                               pick_id, device_caps, device_key)
VALUES (:user_id, :media_id, :season, :episode, :mode, :library_item_id, :download_id, :file_index, :pick_id,
        :device_caps, :device_key)
RETURNING id;

-- name: session_get(session_id, user_id)^
-- The session with what deciding a switch needs: the user's stall setting (15 s when never saved), how long
-- the player has waited at one spot, and the status of the download it plays.
SELECT s.*,
       coalesce((SELECT p.stall_switch_seconds FROM user_preferences p WHERE p.user_id = s.user_id), 15)
           AS stall_switch_seconds,
       CAST(extract(epoch FROM now() - s.buffering_since) AS double precision) AS stalled_seconds,
       j.status AS job_status
FROM playback_sessions s
LEFT JOIN download_jobs j ON j.id = s.download_id AND j.user_id = s.user_id
WHERE s.id = :session_id AND s.user_id = :user_id;

-- name: session_beat(session_id, user_id, position, buffering, file_index, bytes_done)!
-- A heartbeat: the position, and the stall being timed. While the player is still at the stall's spot (within a
-- second) the stall keeps its start and the job's bytes then, even if one beat caught it not waiting (a player
-- reloading its stream mid-stall plays a frame of what it holds); the player past it or elsewhere ends it, and a
-- wait there starts a new one.
UPDATE playback_sessions s
SET position_seconds = :position,
    file_index = coalesce(CAST(:file_index AS integer), s.file_index),
    buffering_since = CASE WHEN s.buffering_since IS NOT NULL AND abs(s.buffering_at - :position) < 1
                               THEN s.buffering_since
                           WHEN :buffering THEN now() END,
    buffering_bytes = CASE WHEN s.buffering_since IS NOT NULL AND abs(s.buffering_at - :position) < 1
                               THEN s.buffering_bytes
                           WHEN :buffering THEN CAST(:bytes_done AS bigint) END,
    buffering_at = CASE WHEN s.buffering_since IS NOT NULL AND abs(s.buffering_at - :position) < 1
                            THEN s.buffering_at
                        WHEN :buffering THEN :position END,
    updated_at = now()
WHERE s.id = :session_id AND s.user_id = :user_id;

-- name: session_claim_switch(session_id, user_id, pick_id)^
-- One heartbeat claims the switch away from pick_id; concurrent ones find the state taken (or the pick gone)
-- and leave it. A claim older than two minutes was lost with its process and may be claimed again.
UPDATE playback_sessions
SET state = 'switching', switch_started_at = now(), updated_at = now()
WHERE id = :session_id AND user_id = :user_id AND pick_id = :pick_id
  AND (state = 'active' OR switch_started_at < now() - interval '2 minutes')
RETURNING id;

-- name: session_switched(session_id, user_id, pick_id, download_id, stalled, switch)!
-- The next candidate plays now: its pick and download; the stalled release is never picked again here.
UPDATE playback_sessions
SET state = 'active', switch_started_at = NULL, pick_id = :pick_id, download_id = :download_id, file_index = NULL,
    buffering_since = NULL, buffering_at = NULL, buffering_bytes = NULL,
    stalled = array_append(stalled, CAST(:stalled AS text)),
    switches = switches || jsonb_build_array(CAST(:switch AS jsonb)), last_error = NULL, updated_at = now()
WHERE id = :session_id AND user_id = :user_id;

-- name: session_switch_failed(session_id, user_id, error)!
-- Nothing else fits (or the search failed): keep playing what there is, and time a new stall from now.
UPDATE playback_sessions
SET state = 'active', switch_started_at = NULL, last_error = :error,
    buffering_since = CASE WHEN buffering_since IS NULL THEN NULL ELSE now() END, updated_at = now()
WHERE id = :session_id AND user_id = :user_id;

-- name: session_latest(user_id, media_id)^
-- What to resume of a title: the user's session of it that was heard from last.
SELECT s.*, 15 AS stall_switch_seconds, CAST(NULL AS double precision) AS stalled_seconds,
       CAST(NULL AS text) AS job_status
FROM playback_sessions s
WHERE s.user_id = :user_id AND s.media_id = :media_id
ORDER BY s.updated_at DESC, s.created_at DESC, s.id DESC
LIMIT 1;

-- name: session_media(media_id)^
SELECT id, media_type FROM media_items WHERE id = :media_id;

-- name: session_library_item(item_id)^
-- Library items belong to the household (no owner): any signed-in user may play one.
SELECT li.id, li.media_id, li.source_job_id, e.season_number, e.episode_number
FROM library_items li LEFT JOIN episodes e ON e.id = li.episode_id
WHERE li.id = :item_id;

-- name: session_library_file(media_id, season, episode)^
-- The title's matched library file: the movie's (no episode), or the episode's; the oldest first.
SELECT li.id, li.media_id, li.source_job_id, e.season_number, e.episode_number
FROM library_items li LEFT JOIN episodes e ON e.id = li.episode_id
WHERE li.media_id = :media_id AND li.match_state = 'matched'
  AND (CASE WHEN CAST(:episode AS integer) IS NULL THEN li.episode_id IS NULL
            ELSE e.season_number = CAST(:season AS integer) AND e.episode_number = CAST(:episode AS integer) END)
ORDER BY li.created_at, li.id
LIMIT 1;

-- name: session_next_episode(media_id, season, episode)^
-- The regular episode after this one that has aired (as playback_next_episode, by numbers), with its file.
SELECT e.season_number, e.episode_number,
       (SELECT li.id FROM library_items li
        WHERE li.media_id = e.media_id AND li.episode_id = e.id AND li.match_state = 'matched'
        ORDER BY li.created_at, li.id LIMIT 1) AS library_item_id
FROM episodes e
WHERE e.media_id = :media_id AND e.season_number > 0
  AND (e.season_number, e.episode_number) > (CAST(:season AS integer), CAST(:episode AS integer))
  AND (e.air_date IS NULL OR e.air_date <= current_date)
ORDER BY e.season_number, e.episode_number
LIMIT 1;

-- name: session_progress(user_id, media_id)^
-- The title's newest unfinished resume point the players saved (POST /progress), with its library file: what
-- to resume when it was played outside a session (the library's player) or after its last session.
SELECT e.season_number, e.episode_number, CAST(p.position_seconds AS double precision) AS position_seconds,
       p.updated_at,
       (SELECT li.id FROM library_items li
        WHERE li.media_id = p.media_id AND li.episode_id IS NOT DISTINCT FROM p.episode_id
          AND li.match_state = 'matched'
        ORDER BY li.created_at, li.id LIMIT 1) AS library_item_id
FROM user_progress p LEFT JOIN episodes e ON e.id = p.episode_id
WHERE p.user_id = :user_id AND p.media_id = :media_id AND p.completed_at IS NULL
ORDER BY p.updated_at DESC
LIMIT 1;
