"""Notifications: a followed show's new episode, a wanted title downloaded, a failed download, a
wish-listed game released. The scheduled ``run`` makes them (``produce``: set-based inserts, one per
user, kind and subject, so each happens once) and sends them to the user's Apprise channels
(``deliver``); the app lists them with an unread count (``service``).
"""
