/* SPDX-License-Identifier: MIT */
#ifndef CDB_STRV_H
#define CDB_STRV_H

/* NULL-terminated vectors of strings, as the plan keeps args and env. */

#include <stddef.h>

void strv_free (char **v);
int strv_append (char ***v, size_t *n, const char *str);

#endif
