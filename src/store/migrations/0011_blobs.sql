-- Small blobs (attachments up to DESK_BLOB_INLINE_MAX bytes) live in the
-- database, written in the same transaction as the row that refers to them;
-- larger ones stay content-addressed files next to the database. One row per
-- distinct content: sha256 is the lowercase hex digest of data.
CREATE TABLE blobs (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    data   BLOB NOT NULL
);
