-- Extensions the schema relies on.
--
-- pg_trgm backs typo-tolerant search on media titles, library file names and
-- user e-mails (GIN gin_trgm_ops indexes). It is a trusted extension from
-- PostgreSQL 13 on, so a database owner without superuser (RDS/Aurora) may
-- create it. gen_random_uuid() is core since PostgreSQL 13: no pgcrypto.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
