-- Uploads (Zendesk's POST /uploads): a file sent before the comment that
-- carries it. Its attachment row exists already, in the mail attachments'
-- table and file store, with ticket_id and comment_id 0; the token names
-- it until a comment takes it (comment.uploads) or it expires.
CREATE TABLE console_uploads (
    attachment_id INTEGER PRIMARY KEY,
    token         TEXT NOT NULL,
    user_id       INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX console_uploads_token ON console_uploads(token);
CREATE INDEX console_uploads_expiry ON console_uploads(expires_at);
