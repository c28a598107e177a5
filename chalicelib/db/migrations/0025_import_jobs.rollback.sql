DROP TABLE import_uploads;
DROP INDEX imports_user_active_idx;
ALTER TABLE imports DROP COLUMN rows_read, DROP COLUMN read_at, DROP COLUMN skipped, DROP COLUMN skipped_rows,
    DROP COLUMN applied_through;
