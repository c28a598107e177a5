"""History imports: one reader per format -> a common row model -> preview -> apply.

``routes`` takes the upload and stores it in the bucket; ``handlers`` (on the events queue) parse it
into ``import_rows``, match the rows to the catalog (``matching``) and later apply them in batches
(``service``). Readers never touch the database: each turns a file into :class:`rows.Row` objects.
"""
