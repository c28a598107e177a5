"""Household profiles (Netflix-style, like Plex Home): an account holds up to six.

Each profile has its own history, progress, ratings, watch later, follows, recommendations, preferences
(theme) and collections: a profile's id is what every user-owned table's ``user_id`` holds. The account's
own users row is its first (owner) profile, so an account's data before profiles is that profile's; every
further profile is a login-less users row (``users.account_id``). A kid profile carries a content-rating
limit (``chalicelib.contentrating.Limit``) that the principal passes to every catalog read.

What stays the household's: the account (e-mail, password, sessions, role), instance and indexer
settings (admin, owner profile only). Get, downloads, imports, media-server links and webhooks are kept
per (adult) profile, like the playback sessions and picks they join with; a kid profile cannot reach them
(``auth="adult"`` answers 403 ``not_for_kids``).

A household with a kid profile keeps a PIN on the owner's profile (the first kid comes with it, ``ownerPin``),
and from a kid's session every adult profile asks a PIN: its own, or the owner's for one without. A household
from before that rule (a kid, an owner without a PIN) sets the owner's PIN on the next pick of an adult profile
from the kid's session, with the account's password (``service._set_up_owner_pin``).
"""
