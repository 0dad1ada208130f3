// Everything shardtap registers with Catch2. Binaries link this object through the
// shardtap_link_anchor symbol (see extension/CMakeLists.txt), so it survives static linking.
#include "durations_listener.hpp"
#include "guard_listener.hpp"

#include <catch2/reporters/catch_reporter_registrars.hpp>

CATCH_REGISTER_LISTENER(shardtap::GuardListener)
CATCH_REGISTER_LISTENER(shardtap::DurationsListener)

extern "C" {
int shardtap_link_anchor = 0;
}
