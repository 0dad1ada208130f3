#include "allocation_guard.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SHARDTAP_GUARD 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHARDTAP_GUARD 0
#endif
#endif
#if !defined(SHARDTAP_GUARD) && defined(__GLIBC__)
#define SHARDTAP_GUARD 1
#endif
#if !defined(SHARDTAP_GUARD)
#define SHARDTAP_GUARD 0
#endif

namespace {
std::atomic<int> armed{0};  // 0 off, 1 counting, 2 ending the process
std::atomic<std::size_t> allocations{0};

[[maybe_unused]] void seen() {  // unused where the guard is off (sanitizers)
    int const mode = armed.load();
    if (mode == 0) return;
    if (mode == 2) {
        static char const message[] = "allocation_guard: allocated while armed\n";
        [[maybe_unused]] auto const written = ::write(2, message, sizeof message - 1);
        ::_exit(77);
    }
    ++allocations;
}
}  // namespace

namespace shardtap::testing {
bool allocation_guard_works() { return SHARDTAP_GUARD == 1; }
void arm_allocation_guard(bool end_process_on_allocation) {
    allocations = 0;
    armed = end_process_on_allocation ? 2 : 1;
}
std::size_t disarm_allocation_guard() {
    armed = 0;
    return allocations.load();
}
}  // namespace shardtap::testing

#if SHARDTAP_GUARD
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);

void* malloc(std::size_t size) {
    seen();
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
    seen();
    return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
    seen();
    return __libc_realloc(pointer, size);
}
}

// operator new goes through malloc in libstdc++, but a replacement is what the standard
// promises to call: count it here too (malloc then counts it a second time; any count fails).
void* operator new(std::size_t size) {
    seen();
    if (void* p = __libc_malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* pointer) noexcept { std::free(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { std::free(pointer); }
#endif
