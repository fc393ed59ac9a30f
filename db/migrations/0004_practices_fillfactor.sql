-- Each accepted file rewrites the rows of the practices it moves. Free space in every page lets
-- PostgreSQL update them in place (HOT: no index entries to rewrite, as no indexed column changes).
ALTER TABLE practices SET (fillfactor = 70);
