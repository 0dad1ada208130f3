#include "core/durations/durations.hpp"

#include "core/text/quoted.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace shardtap {
namespace {

using Json = nlohmann::json;

std::string shown(Json const& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

[[noreturn]] void fail(std::string_view source, std::string const& problem) {
    throw DurationsError(fmt::format("shardtap: durations file {}: {}", in_quotes(source), problem));
}

// nlohmann's messages start with "[json.exception.parse_error.101] ": not for users.
std::string without_exception_id(std::string message) {
    if (!message.empty() && message.front() == '[') {
        auto end = message.find("] ");
        if (end != std::string::npos) message.erase(0, end + 2);
    }
    return message;
}

}  // namespace

Durations parse_durations(std::string_view text, std::string_view source) {
    Json document;
    try {
        document = Json::parse(text.begin(), text.end());
    } catch (Json::exception const& error) {
        fail(source, "malformed JSON: " + without_exception_id(error.what()));
    }
    if (!document.is_object()) fail(source, "malformed: the top level is not a JSON object");

    auto format = document.find("format");
    if (format == document.end()) fail(source, "not a shardtap durations file: no \"format\" field");
    if (!format->is_string() || format->get<std::string>() != durations_format) {
        fail(source, fmt::format("wrong format {}, expected \"{}\"", shown(*format),
                                 durations_format));
    }
    auto version = document.find("version");
    if (version == document.end()) fail(source, "no \"version\" field");
    if (!version->is_number_integer() || version->get<long long>() != durations_version) {
        fail(source, fmt::format("unsupported version {}: this shardtap reads version {}",
                                 shown(*version), durations_version));
    }
    auto entries = document.find("durations");
    if (entries == document.end()) fail(source, "no \"durations\" field");
    if (!entries->is_object()) {
        fail(source, fmt::format("\"durations\" is {}, expected an object of test case name to "
                                 "seconds", shown(*entries)));
    }

    Durations durations;
    for (auto const& [name, value] : entries->items()) {
        if (!value.is_number()) {
            fail(source, fmt::format("the duration of {} is {}, expected a number of seconds",
                                     in_quotes(name), shown(value)));
        }
        auto const seconds = value.get<double>();
        if (!(seconds >= 0)) {
            fail(source, fmt::format("the duration of {} is negative: {}", in_quotes(name),
                                     shown(value)));
        }
        if (seconds > max_recorded_seconds) {
            fail(source, fmt::format("the duration of {} is {}, more than the largest allowed, "
                                     "{} seconds", in_quotes(name), shown(value),
                                     max_recorded_seconds));
        }
        durations.emplace(name, seconds);
    }
    return durations;
}

std::string format_durations(Durations const& durations) {
    nlohmann::ordered_json document;
    document["format"] = durations_format;
    document["version"] = durations_version;
    auto& entries = document["durations"] = nlohmann::ordered_json::object();
    for (auto const& [name, seconds] : durations) entries[name] = seconds;
    return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace shardtap
