#pragma once
// Test mains that decide whether a test can run here before it does anything.
//
// A test that cannot run on this machine (the lab needs root, Xvfb is missing) says why
// and exits with kNotRunExitCode, which ctest reports as "Skipped" (SKIP_RETURN_CODE in
// cmake/PodPathTesting.cmake). Once a test has started, it passes or fails: a QSKIP in a
// test function makes ctest report the test failed (FAIL_REGULAR_EXPRESSION), because a
// skip after the test did something can hide a failure (a set-up that broke, a lab that
// did not come up). `packaging/podpath-dev test` counts what ran and, as root (CI), fails
// on any test that did not run.
//
//   PODPATH_TEST_MAIN_UNLESS(TestNodesPageLab, testing::whyNoLab())
//   PODPATH_TEST_GUILESS_MAIN_UNLESS(TestLab, testing::whyNoLab())

#include <QString>
#include <QtTest>

#include <cstdio>
#include <cstring>

namespace podpath::testing {

inline constexpr int kNotRunExitCode = 77;

// `program` is argv[0]: its file name is the test's name in ctest.
inline int notRun(const char *program, const QString &why)
{
    const char *slash = std::strrchr(program, '/');
    std::printf("NOT RUN: %s: %s\n", slash ? slash + 1 : program, qPrintable(why));
    std::fflush(stdout);
    return kNotRunExitCode;
}

} // namespace podpath::testing

#define PODPATH_TEST_MAIN_UNLESS(TestObject, whyNot)                                                    \
    QTEST_MAIN_WRAPPER(TestObject,                                                                      \
                       if (const QString why_ = (whyNot); !why_.isEmpty()) return ::podpath::testing::notRun( \
                           argv[0], why_);                                                          \
                       QTEST_MAIN_SETUP())

#define PODPATH_TEST_GUILESS_MAIN_UNLESS(TestObject, whyNot)                                            \
    QTEST_MAIN_WRAPPER(TestObject,                                                                      \
                       if (const QString why_ = (whyNot); !why_.isEmpty()) return ::podpath::testing::notRun( \
                           argv[0], why_);                                                          \
                       QTEST_QAPP_SETUP(QCoreApplication))
