// Everything shardtap registers with Catch2. Binaries link this object through the
// shardtap_link_anchor symbol (see extension/CMakeLists.txt), so it survives static linking.
#include "durations_listener.hpp"
#include "selection_listener.hpp"
#include "tap_stream_reporter.hpp"
#include "timeout_listener.hpp"

#include <catch2/reporters/catch_reporter_registrars.hpp>

CATCH_REGISTER_LISTENER(shardtap::SelectionListener)
// Before the durations listener: after a timeout, the test thread stops at the timeout
// listener's next event, so the durations listener never writes its file.
CATCH_REGISTER_LISTENER(shardtap::TimeoutListener)
CATCH_REGISTER_LISTENER(shardtap::DurationsListener)
CATCH_REGISTER_REPORTER("tap-stream", shardtap::TapStreamReporter)

extern "C" {
int shardtap_link_anchor = 0;
}
