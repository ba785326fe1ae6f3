/*
 * The SQLite VFS desk opens its databases with: the default one, with the
 * WAL written once per commit instead of twice per page (sqlite_wal.c).
 */
#ifndef DESK_STORE_SQLITE_WAL_H
#define DESK_STORE_SQLITE_WAL_H

#define DESK_SQLITE_VFS "desk"

/*
 * Registers the VFS on first call (thread-safe, never the default one) and
 * returns its name, or NULL when SQLite has no default VFS to build on:
 * then open with the default.
 */
const char *desk_sqlite_vfs(void);

#endif
