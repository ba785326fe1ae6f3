-- Full-text search folds the letters that have no Unicode decomposition
-- too ("lodz" finds "Łódź", "soren" "Søren", "strasse" "Straße"): the index
-- is rebuilt with the "desk" tokenizer (store/sqlite_fold.c), which is
-- unicode61 without diacritics plus ICU's Latin-ASCII spelling of those
-- letters. Queries go through the same tokenizer.
DROP TABLE ticket_fts_terms;
CREATE VIRTUAL TABLE ticket_fts_folded USING fts5(
    subject, public_text, private_text,
    tokenize = "desk"
);
INSERT INTO ticket_fts_folded (rowid, subject, public_text, private_text)
    SELECT rowid, subject, public_text, private_text FROM ticket_fts;
DROP TABLE ticket_fts;
ALTER TABLE ticket_fts_folded RENAME TO ticket_fts;
CREATE VIRTUAL TABLE ticket_fts_terms USING fts5vocab(ticket_fts, row);
