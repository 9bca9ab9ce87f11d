/* SPDX-License-Identifier: MIT */
#ifndef CDB_ERROR_H
#define CDB_ERROR_H

/*
 * The one error convention of cdb-run.
 *
 * A function that can fail returns a negative value and fills a
 * struct cdb_error: the errno that caused it (0 when none did) and a
 * one-line message "step: what: why". Callers that know more add it in
 * front with cdb_error_prefix(). Only main() turns an error into an exit
 * status, and only it prints.
 */

#include <stddef.h>

#define CDB_ERROR_MAX 512

struct cdb_error
{
  int errnum;
  char msg[CDB_ERROR_MAX];
};

/* Sets the message; when errnum is not 0 its strerror() is appended as
   the "why". Always returns -1, so that a failure reads
   `return cdb_fail (err, errno, "mount: bind %s", path);`. */
int cdb_fail (struct cdb_error *err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Puts "context: " in front of the message already in err; returns -1. */
int cdb_error_prefix (struct cdb_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

#endif
