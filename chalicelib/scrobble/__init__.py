"""Scrobbling from media servers: Jellyfin and Plex webhooks update progress and watched history.

Each user has a secret webhook URL per server (``secrets``); an event is parsed into a neutral
``payloads.Play`` (``jellyfin``, ``plex``), matched to a catalog movie or episode by provider ids,
then title, and applied as a player heartbeat (``service``), so the same watched threshold, resume
points and caches apply as for the web player. A replayed delivery is recognised by its fingerprint.
"""
