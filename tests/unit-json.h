/* SPDX-License-Identifier: MIT */
#ifndef CDB_UNIT_JSON_H
#define CDB_UNIT_JSON_H

/*
 * Test documents for the Criterion suites, written with single quotes so
 * that they read well inside C strings: quoted() turns them into JSON,
 * parse() into a jansson document, failing the test if it does not parse.
 */

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static char *
quoted (const char *text)
{
  char *json = strdup (text);
  char *c;

  cr_assert_not_null (json);
  for (c = json; *c != '\0'; c++)
    if (*c == '\'')
      *c = '"';
  return json;
}

static json_t *
parse (const char *text)
{
  char *json = quoted (text);
  json_error_t error;
  json_t *doc = json_loads (json, JSON_DECODE_ANY, &error);

  cr_assert_not_null (doc, "test JSON does not parse: %s: %s", error.text,
                      json);
  free (json);
  return doc;
}

#endif
