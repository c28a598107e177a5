-- name: ping()$
-- A round trip to the server, for the readiness probe.
SELECT 1;
