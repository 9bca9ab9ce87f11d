/* SPDX-License-Identifier: MIT */
#ifndef CDB_CLEANUP_H
#define CDB_CLEANUP_H

/*
 * Scope-bound cleanup, so that every early return of an error path frees
 * what the function held. take_ptr() and take_fd() hand ownership to the
 * caller and leave the variable empty.
 */

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

static inline void
cleanup_freep (void *p)
{
  free (*(void **) p);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

static inline void
cleanup_json_decrefp (json_t **json)
{
  json_decref (*json);
}

#define _cleanup_free_ __attribute__ ((cleanup (cleanup_freep)))
#define _cleanup_close_ __attribute__ ((cleanup (cleanup_closep)))
#define _cleanup_json_ __attribute__ ((cleanup (cleanup_json_decrefp)))

static inline void *
take_ptr_impl (void **p)
{
  void *value = *p;
  *p = NULL;
  return value;
}

#define take_ptr(p) take_ptr_impl ((void **) &(p))

static inline int
take_fd (int *fd)
{
  int value = *fd;
  *fd = -1;
  return value;
}

#endif
