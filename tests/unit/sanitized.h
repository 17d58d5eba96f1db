#pragma once
// PODPATH_SANITIZED is defined when this test is built with AddressSanitizer (gcc or
// clang): timing limits and the longest lab rows are the plain build's business.

#if defined(__SANITIZE_ADDRESS__)
#define PODPATH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PODPATH_SANITIZED 1
#endif
#endif
