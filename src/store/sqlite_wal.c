/*
 * The "desk" VFS: SQLite's default VFS, except that writes to a WAL file are
 * gathered in memory and reach the file in one write per commit.
 *
 * SQLite appends a commit to the WAL one frame at a time, a 24-byte header
 * and then the page, two pwrite calls a page: a ticket with its comment,
 * audit, search index, clocks and counters touches about thirty pages, so
 * sixty system calls a commit, which on a virtual machine cost more than
 * SQLite's own work. Here contiguous writes are appended to a buffer, and
 * the buffer is written out:
 *   - right after the page of a commit frame (the header's "database size
 *     after commit" field is non-zero), so the file holds the whole commit
 *     before SQLite publishes it in the WAL index, whatever the
 *     synchronous setting;
 *   - before a sync, read, truncate, size query, mapping or close of that
 *     file, and before a write that does not continue the buffer.
 * Only the writer's connection writes the WAL, and SQLite uses a file
 * handle from one thread at a time, so a buffer needs no lock. Durability
 * is unchanged: every byte is in the file before the fsync that makes a
 * commit durable. Files other than WAL files are the default VFS's own.
 */
#include "store/sqlite_wal.h"

#include <sqlite3.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_HEADER 24        /* a WAL frame's header */
#define BUFFER_MAX   (4 << 20) /* written out when a commit grows past this */
#define WRITE_MAX    0x1f000   /* the unix VFS writes at most 128 KiB - 1 in one call */

struct wal_file {
    sqlite3_file base;  /* pMethods = &wal_methods */
    sqlite3_file *real; /* the default VFS's file, in the same allocation */
    char *buf;
    size_t len, cap;
    sqlite3_int64 start; /* file offset of buf[0] */
    bool commit_frame;   /* the last write was a commit frame's header */
};

static sqlite3_vfs vfs;
static sqlite3_vfs *parent;

static int flush(struct wal_file *f)
{
    int rc = SQLITE_OK;
    for (size_t done = 0; done < f->len && rc == SQLITE_OK; done += WRITE_MAX) {
        size_t n = f->len - done < WRITE_MAX ? f->len - done : WRITE_MAX;
        rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n,
                                       f->start + (sqlite3_int64)done);
    }
    f->len = 0;
    return rc;
}

static int wal_close(sqlite3_file *file)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    int rc2 = f->real->pMethods->xClose(f->real);
    free(f->buf);
    f->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wal_read(sqlite3_file *file, void *out, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

static int wal_write(sqlite3_file *file, const void *data, int n, sqlite3_int64 off)
{
    struct wal_file *f = (struct wal_file *)file;
    const unsigned char *p = data;
    int rc;
    if (f->len && off != f->start + (sqlite3_int64)f->len) {
        if ((rc = flush(f)) != SQLITE_OK) {
            return rc;
        }
    }
    if (f->len + (size_t)n > f->cap) {
        size_t cap = f->cap ? f->cap : 256 << 10;
        while (cap < f->len + (size_t)n) {
            cap *= 2;
        }
        char *nb = cap <= BUFFER_MAX ? realloc(f->buf, cap) : NULL;
        if (!nb) {
            /* Past the limit (or out of memory): write through. */
            if ((rc = flush(f)) != SQLITE_OK) {
                return rc;
            }
            f->commit_frame = false;
            return f->real->pMethods->xWrite(f->real, data, n, off);
        }
        f->buf = nb;
        f->cap = cap;
    }
    if (!f->len) {
        f->start = off;
    }
    memcpy(f->buf + f->len, data, (size_t)n);
    f->len += (size_t)n;
    if (f->commit_frame) {
        f->commit_frame = false;
        return flush(f); /* the commit frame's page: the commit is complete */
    }
    /* A frame header with a non-zero "database size after commit" ends a commit. */
    f->commit_frame = n == FRAME_HEADER && (p[4] | p[5] | p[6] | p[7]) != 0;
    return SQLITE_OK;
}

static int wal_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wal_sync(sqlite3_file *file, int flags)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wal_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wal_lock(sqlite3_file *file, int lock)
{
    struct wal_file *f = (struct wal_file *)file;
    return f->real->pMethods->xLock(f->real, lock);
}

static int wal_unlock(sqlite3_file *file, int lock)
{
    struct wal_file *f = (struct wal_file *)file;
    return f->real->pMethods->xUnlock(f->real, lock);
}

static int wal_check_reserved(sqlite3_file *file, int *out)
{
    struct wal_file *f = (struct wal_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int wal_file_control(sqlite3_file *file, int op, void *arg)
{
    struct wal_file *f = (struct wal_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wal_sector_size(sqlite3_file *file)
{
    struct wal_file *f = (struct wal_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int wal_device_characteristics(sqlite3_file *file)
{
    struct wal_file *f = (struct wal_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* A WAL file has no shared memory and is never mapped: SQLite does not ask. */
static const sqlite3_io_methods wal_methods = {
    1,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
};

static int vfs_open(sqlite3_vfs *v, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)v;
    if (!(flags & SQLITE_OPEN_WAL)) {
        /* Anything else is the default VFS's file, in place. */
        return parent->xOpen(parent, name, file, flags, out_flags);
    }
    struct wal_file *f = (struct wal_file *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    int rc = parent->xOpen(parent, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        file->pMethods = NULL;
        return rc;
    }
    file->pMethods = &wal_methods;
    return SQLITE_OK;
}

static void install(void)
{
    parent = sqlite3_vfs_find(NULL);
    if (!parent) {
        return;
    }
    /* Everything but xOpen is the default VFS's own (they ignore which VFS
     * they are called through). */
    vfs = *parent;
    vfs.pNext = NULL;
    vfs.szOsFile = (int)sizeof(struct wal_file) + parent->szOsFile;
    vfs.zName = DESK_SQLITE_VFS;
    vfs.xOpen = vfs_open;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) {
        parent = NULL;
    }
}

const char *desk_sqlite_vfs(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
    return parent ? DESK_SQLITE_VFS : NULL;
}
