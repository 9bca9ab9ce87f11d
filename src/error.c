/* SPDX-License-Identifier: MIT */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
cdb_fail (struct cdb_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  int len;

  va_start (ap, fmt);
  len = vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  va_end (ap);

  if (len < 0)
    len = 0;
  if (errnum != 0 && (size_t) len < sizeof err->msg)
    snprintf (err->msg + len, sizeof err->msg - len, ": %s", strerror (errnum));

  err->errnum = errnum;
  return -1;
}

int
cdb_error_prefix (struct cdb_error *err, const char *fmt, ...)
{
  char context[CDB_ERROR_MAX];
  char old[CDB_ERROR_MAX];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (context, sizeof context, fmt, ap);
  va_end (ap);

  /* A message too long for the buffer is cut, never dropped. */
  memcpy (old, err->msg, sizeof old);
  if (snprintf (err->msg, sizeof err->msg, "%s: %s", context, old) < 0)
    err->msg[0] = '\0';
  return -1;
}
