"""History imports: one reader per format -> a common row model -> preview -> apply.

``routes`` takes the upload (a presigned POST to the bucket, or small files inline); ``handlers`` (the
imports consumer, on ``seen-import-commands``, never the worker-events queue) run ``jobs``: parse it into
``import_rows`` in resumable batches (``reading``), match the rows to the catalog (``matching``) and later
apply them in batches, each invocation within its time ``budget``. Readers never touch the database:
each turns a file into :class:`rows.Row` objects.
"""
