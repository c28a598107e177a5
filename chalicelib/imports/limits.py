"""Caps on what an import file may make the parser do, checked before the work grows past them.

Each limit sits far above what a real export of one household reaches (a heavy Trakt user's lifetime
history is ~50k entries, ~40 MB of JSON) and far below what would starve the imports consumer. Going past
one fails the import with a message that names the limit; nothing is half-read.
"""

from __future__ import annotations

# JSON nesting: real exports nest 4-6 levels; ijson's memory grows with the square of the depth.
MAX_DEPTH = 64
# Rows one import may produce (enforced by the pipeline): 40x a lifetime of watches, bounded apply time.
MAX_ROWS = 2_000_000
# Bytes a zip may inflate to, all members together: the work of a parse is bounded by what it reads.
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
# Bytes one zip member may inflate to: a whole Trakt history is far smaller.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
# Inflated/compressed size of a member: text exports compress 5-30x; deflate bombs reach ~1000x.
MAX_COMPRESSION_RATIO = 200
# Below this many inflated bytes a member's ratio is not judged (a tiny file says nothing).
RATIO_GRACE_BYTES = 64 * 1024
# Bytes of one JSON string: a review is a few KB; ijson holds a whole string (twice) while it builds it.
# Keep it above source.CHUNK (64 KB): only strings that cross a chunk border are measured.
MAX_STRING_BYTES = 1024 * 1024
# Members in a zip: the central directory is read whole into memory, so its size is checked first.
MAX_ZIP_MEMBERS = 10_000
# Characters of one CSV record (a quoted field may span lines): a line is a title, a date and a rating.
MAX_LINE_BYTES = 1024 * 1024
# Columns of one CSV record: real exports have 4-20; a record of 500k empty fields is a memory bomb.
MAX_FIELDS = 1000
