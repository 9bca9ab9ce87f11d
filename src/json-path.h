/* SPDX-License-Identifier: MIT */
#ifndef CDB_JSON_PATH_H
#define CDB_JSON_PATH_H

/*
 * Reading a JSON document where every error names the JSON path of the
 * value it is about ("$.process.user.uid", "$.mounts[2]"), in one line
 * that begins "spec: ". Shared by the spec and the seccomp profile
 * readers.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define JPATH_MAX 256
#define JKEY_MAX 64 /* a key longer than this is cut in paths */

/* No service needs more elements in one array; the bound keeps a hostile
   spec from making cdb-run allocate without limit. */
#define CDB_SPEC_MAX_ITEMS 4096

/* The path of member key of parent, or of element index of parent, in
   buf (JPATH_MAX bytes); returns buf. */
const char *jpath_key (char *buf, const char *parent, const char *key);
const char *jpath_index (char *buf, const char *parent, size_t index);

/* Each fills err and returns -1. */
int jpath_expected (struct cdb_error *err, const char *path, const char *what);
int jpath_required (struct cdb_error *err, const char *path);
int jpath_out_of_memory (struct cdb_error *err, const char *path);

/* Whether the key the iterator is at has no NUL byte inside. */
bool jpath_key_is_clean (void *iter, const char *key);

/* The typed readers: each checks the value and fails naming path. */
int jpath_string (json_t *v, const char *path, const char **out,
                  struct cdb_error *err);
int jpath_integer (json_t *v, const char *path, json_int_t min, json_int_t max,
                   json_int_t *out, struct cdb_error *err);
int jpath_array (json_t *v, const char *path, const char *what,
                 struct cdb_error *err);

#endif
