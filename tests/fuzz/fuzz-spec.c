/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the spec reader, seccomp profiles included: any
 * bytes must give a plan or one error line, never a crash, and a plan
 * printed back must resolve to the same printed plan. Built and run by
 * tests/fuzz/run.sh.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "policy.h"
#include "spec.h"

static char *
printed (const struct cdb_plan *plan)
{
  json_t *doc = cdb_plan_to_json (plan);
  char *text;

  if (doc == NULL)
    return NULL;
  text = json_dumps (doc, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref (doc);
  return text;
}

static void
check_round_trip (const struct cdb_plan *plan)
{
  struct cdb_error err = { 0 };
  struct cdb_plan again;
  char *first = printed (plan);
  char *second;
  json_t *doc;

  if (first == NULL)
    return;

  doc = json_loads (first, 0, NULL);
  if (doc == NULL
      || cdb_spec_resolve (doc, "/", &cdb_builtin_policy, &again, &err) < 0)
    abort ();

  second = printed (&again);
  if (second == NULL || strcmp (first, second) != 0)
    abort ();

  free (second);
  free (first);
  json_decref (doc);
  cdb_plan_free (&again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct cdb_error err = { 0 };
  struct cdb_plan plan;
  json_t *doc = json_loadb ((const char *) data, size, JSON_REJECT_DUPLICATES,
                            NULL);

  if (doc == NULL)
    return 0;

  if (cdb_spec_resolve (doc, "/srv", &cdb_builtin_policy, &plan, &err) == 0)
    {
      check_round_trip (&plan);
      cdb_plan_free (&plan);
    }
  else if (strchr (err.msg, '\n') != NULL)
    abort ();

  json_decref (doc);
  return 0;
}
