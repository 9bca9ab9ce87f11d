/* SPDX-License-Identifier: MIT */
#include "json-path.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *
jpath_key (char *buf, const char *parent, const char *key)
{
  snprintf (buf, JPATH_MAX, "%s.%.*s", parent, JKEY_MAX, key);
  return buf;
}

const char *
jpath_index (char *buf, const char *parent, size_t index)
{
  snprintf (buf, JPATH_MAX, "%s[%zu]", parent, index);
  return buf;
}

int
jpath_expected (struct cdb_error *err, const char *path, const char *what)
{
  return cdb_fail (err, 0, "spec: %s: expected %s", path, what);
}

int
jpath_required (struct cdb_error *err, const char *path)
{
  return cdb_fail (err, 0, "spec: %s: required", path);
}

int
jpath_out_of_memory (struct cdb_error *err, const char *path)
{
  return cdb_fail (err, ENOMEM, "spec: %s", path);
}

/* jansson 2.14 lets a document built in memory hold a key with a NUL byte,
   which would compare equal to its prefix here. */
bool
jpath_key_is_clean (void *iter, const char *key)
{
#if JANSSON_VERSION_HEX >= 0x020e00
  return json_object_iter_key_len (iter) == strlen (key);
#else
  (void) iter;
  (void) key;
  return true;
#endif
}

/* A NUL inside a string would cut it short where the kernel or libseccomp
   reads it as a C string, so that what is used would differ from what the
   spec shows. */
int
jpath_string (json_t *v, const char *path, const char **out,
              struct cdb_error *err)
{
  if (!json_is_string (v))
    return jpath_expected (err, path, "a string");
  if (strlen (json_string_value (v)) != json_string_length (v))
    return cdb_fail (err, 0, "spec: %s: the string contains a NUL byte", path);

  *out = json_string_value (v);
  return 0;
}

int
jpath_array (json_t *v, const char *path, const char *what,
             struct cdb_error *err)
{
  if (!json_is_array (v))
    return jpath_expected (err, path, what);
  if (json_array_size (v) > CDB_SPEC_MAX_ITEMS)
    return cdb_fail (err, 0, "spec: %s: more than %d elements", path,
                     CDB_SPEC_MAX_ITEMS);
  return 0;
}

int
jpath_integer (json_t *v, const char *path, json_int_t min, json_int_t max,
               json_int_t *out, struct cdb_error *err)
{
  if (!json_is_integer (v) || json_integer_value (v) < min
      || json_integer_value (v) > max)
    return cdb_fail (err, 0,
                     "spec: %s: expected an integer from %" JSON_INTEGER_FORMAT
                     " to %" JSON_INTEGER_FORMAT,
                     path, min, max);

  *out = json_integer_value (v);
  return 0;
}
