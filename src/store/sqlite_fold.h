/*
 * Search folding registered on a SQLite connection: the "desk" FTS5
 * tokenizer (unicode61 without diacritics, plus the letters of
 * model/fold.h) and the SQL function desk_fold(text).
 */
#ifndef DESK_STORE_SQLITE_FOLD_H
#define DESK_STORE_SQLITE_FOLD_H

#include <sqlite3.h>

/* Registers both on db. Returns SQLITE_OK, or SQLite's error (no FTS5). */
int desk_sqlite_fold_register(sqlite3 *db);

#endif
