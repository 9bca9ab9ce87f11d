/* SPDX-License-Identifier: MIT */
#include "strv.h"

#include <stdlib.h>
#include <string.h>

#include "cleanup.h"

void
strv_free (char **v)
{
  char **p;

  for (p = v; p != NULL && *p != NULL; p++)
    free (*p);
  free (v);
}

/* Appends a copy of str to the NULL-terminated vector *v of *n elements;
   on failure *v is unchanged and still valid. */
int
strv_append (char ***v, size_t *n, const char *str)
{
  _cleanup_free_ char *copy = strdup (str);
  char **grown;

  if (copy == NULL)
    return -1;

  grown = realloc (*v, (*n + 2) * sizeof *grown);
  if (grown == NULL)
    return -1;

  grown[*n] = take_ptr (copy);
  grown[*n + 1] = NULL;
  *v = grown;
  (*n)++;
  return 0;
}
