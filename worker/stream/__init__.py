"""The home server's HTTP Range server: play a download's files while they still download.

The API mints a short-lived signed URL (``chalicelib.streamtoken``) naming a
job and a file; this server checks the signature itself (no database),
finds the file among the worker's active jobs and answers Range requests
with verified bytes only. A range not on disk yet is asked of the engine
first (``Engine.want``) and waited for, up to a deadline. Once the engine
let go of a finished job its files are complete in staging and served from
disk; once the job left the worker the answer is 410 and the player asks the
API again, which then hands out the bucket's URL.

It runs on asyncio (aiohttp, an event loop in a thread of the worker): a
waiting request is a sleeping task, not a thread, and waits are capped per
URL, per user (the URL's signed tag) and in all, 429 beyond them.
"""
