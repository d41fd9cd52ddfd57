#ifndef KEVLAR_TEST_SUITES_H
#define KEVLAR_TEST_SUITES_H
#include <check.h>
#define SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef SUITE
#endif
