#include "core/tap/tap_header.hpp"

#include <catch2/catch_test_macros.hpp>

#include <sstream>

using namespace shardtap;

namespace {
std::string format_tap_header(TapHeader const& header) {
    std::string out;
    append_tap_header(out, header);
    return out;
}
}  // namespace

namespace {
TapHeader read_all(std::string const& text) {
    TapHeader header;
    std::istringstream lines(text);
    std::string line, error;
    while (std::getline(lines, line)) {
        REQUIRE(read_tap_header_line(line, header, error) == HeaderLine::read);
    }
    return header;
}

TapHeader node_3_of_12() {
    TapHeader header;
    header.node_index = 3;
    header.node_total = 12;
    header.provider = "Heroku CI";
    header.strategy = "round-robin";
    header.fingerprint = "0123456789abcdef";
    return header;
}
}  // namespace

TEST_CASE("the header is one comment line per field that is set") {
    CHECK(format_tap_header(node_3_of_12()) ==
          "# shardtap node_index: 3\n"
          "# shardtap node_total: 12\n"
          "# shardtap provider: Heroku CI\n"
          "# shardtap strategy: round-robin\n"
          "# shardtap fingerprint: 0123456789abcdef\n");
    CHECK(format_tap_header(TapHeader{}).empty());
}

TEST_CASE("every field reads back, including ones this version does not know") {
    TapHeader header = node_3_of_12();
    header.provider = "odd # provider\nwith a newline \\";
    header.suite_size = 100000;
    header.predicted_seconds = 0.501;
    header.heaviest_node_seconds = 0.6;
    header.elapsed_seconds = 12.25;
    header.other = {{"predicted_load", "1.5"}, {"x-y", "z"}};
    auto const text = format_tap_header(header);
    CHECK(read_all(text) == header);
}

TEST_CASE("the predicted loads are written only when known, in seconds") {
    TapHeader header;
    header.suite_size = 12;
    header.predicted_seconds = 0.501;
    header.heaviest_node_seconds = 0.6;
    CHECK(format_tap_header(header) ==
          "# shardtap suite_size: 12\n"
          "# shardtap predicted_seconds: 0.501\n"
          "# shardtap heaviest_node_seconds: 0.600\n");
    CHECK(read_all(format_tap_header(header)) == header);
    header.predicted_seconds.reset();
    header.heaviest_node_seconds.reset();
    CHECK(format_tap_header(header) == "# shardtap suite_size: 12\n");
}

TEST_CASE("other comments are not header fields") {
    TapHeader header;
    std::string error;
    CHECK(read_tap_header_line("# shardtap is great", header, error) == HeaderLine::not_a_field);
    CHECK(read_tap_header_line("# node_index: 3", header, error) == HeaderLine::not_a_field);
    CHECK(read_tap_header_line("ok 1 - shardtap node_index: 3", header, error) == HeaderLine::not_a_field);
    CHECK(header == TapHeader{});
}

TEST_CASE("a malformed value of a known field is an error that names the field") {
    TapHeader header;
    std::string error;
    CHECK(read_tap_header_line("# shardtap node_total: twelve", header, error) == HeaderLine::malformed);
    CHECK(error == "shardtap field \"node_total\" should be a whole number, not \"twelve\"");
    CHECK(read_tap_header_line("# shardtap node_index: -1", header, error) == HeaderLine::malformed);
    CHECK(read_tap_header_line("# shardtap elapsed: soon", header, error) == HeaderLine::malformed);
    CHECK(read_tap_header_line("# shardtap predicted_seconds: -0.5", header, error) == HeaderLine::malformed);
    CHECK(error == "shardtap field \"predicted_seconds\" should be seconds, e.g. 1.250, not \"-0.5\"");
    CHECK(read_tap_header_line("# shardtap heaviest_node_seconds: ", header, error) == HeaderLine::malformed);
    CHECK_FALSE(header.node_total);
    CHECK_FALSE(header.predicted_seconds);
    CHECK_FALSE(header.heaviest_node_seconds);
}
