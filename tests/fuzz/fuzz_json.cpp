// libFuzzer target: arbitrary bytes as JSON, as a durations file and as the entries of one. parse_json must accept what
// nlohmann_json accepts and reject what it rejects (but for the differences json.hpp names),
// and what it accepts must read back the same after write_json; a durations file that
// parse_durations accepts must read back the same after format_durations.
#include "core/durations/durations.hpp"
#include "core/text/json.hpp"
#include "fuzz_require.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

using namespace shardtap;

namespace {

void check_json(std::string_view text) {
    std::optional<JsonValue> value;
    std::string error;
    try {
        value = parse_json(text);
    } catch (JsonError const& e) {
        error = e.what();
    }
    // On purpose: nlohmann keeps the last of repeated keys, nests without bound and stops at a
    // NUL byte.
    bool const deliberate = error.find("repeats the key") != std::string::npos ||
                            error.find("nested in one another") != std::string::npos ||
                            text.find('\0') != std::string_view::npos;
    if (!deliberate) {
        require(value.has_value() == nlohmann::json::accept(text.begin(), text.end()),
                value ? "parse_json accepts what nlohmann rejects" : "parse_json rejects what nlohmann accepts");
    }
    if (value) require(parse_json(write_json(*value)) == *value, "write_json does not read back");
}

void check_durations(std::string_view text) {
    Durations durations;
    try {
        durations = parse_durations(text, "fuzz");
    } catch (DurationsError const&) {
        return;
    }
    require(parse_durations(format_durations(durations), "fuzz") == durations,
            "format_durations does not read back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    check_json(text);
    check_durations(text);
    // The input as the "durations" of a file, whose header the fuzzer would seldom find itself.
    std::string const version = !text.empty() && text.front() == '[' ? "2" : "1";
    check_durations(R"({"format": "shardtap-durations", "version": )" + version +
                    R"(, "durations": )" + std::string(text) + "}");
    return 0;
}
