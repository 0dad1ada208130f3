// Everything shardtap registers with Catch2. Binaries link this object through the
// shardtap_link_anchor symbol (see extension/CMakeLists.txt), so it survives static linking.
#include "durations_listener.hpp"
#include "selection_listener.hpp"
#include "tap_stream_reporter.hpp"

#include <catch2/reporters/catch_reporter_registrars.hpp>

CATCH_REGISTER_LISTENER(shardtap::SelectionListener)
CATCH_REGISTER_LISTENER(shardtap::DurationsListener)
CATCH_REGISTER_REPORTER("tap-stream", shardtap::TapStreamReporter)

extern "C" {
int shardtap_link_anchor = 0;
}
