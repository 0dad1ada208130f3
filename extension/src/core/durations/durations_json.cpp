#include "core/durations/durations.hpp"

#include "core/text/quoted.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <vector>

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

std::string duration_of(TestIdentityView test) { return "the duration of " + describe(test); }

double seconds_of(Json const& value, std::string const& what, std::string_view source) {
    if (!value.is_number()) {
        fail(source, fmt::format("{} is {}, expected a number of seconds", what, shown(value)));
    }
    auto const seconds = value.get<double>();
    if (!(seconds >= 0)) fail(source, fmt::format("{} is negative: {}", what, shown(value)));
    if (seconds > max_recorded_seconds) {
        fail(source, fmt::format("{} is {}, more than the largest allowed, {} seconds", what,
                                 shown(value), max_recorded_seconds));
    }
    return seconds;
}

// Version 1: {"name": seconds, ...}, every entry by name only.
void read_version_1(Json const& entries, std::string_view source, Durations& durations) {
    if (!entries.is_object()) {
        fail(source, fmt::format("\"durations\" is {}, expected an object of test case name to "
                                 "seconds (version 1)", shown(entries)));
    }
    for (auto const& [name, value] : entries.items()) {
        durations.names.emplace(name, seconds_of(value, duration_of({name, {}, {}}), source));
    }
}

// A string field of a version 2 entry; none when the entry lacks it.
std::optional<std::string> text_field(Json const& entry, char const* key, std::size_t number,
                                      std::string_view source) {
    auto found = entry.find(key);
    if (found == entry.end()) return std::nullopt;
    if (!found->is_string()) {
        fail(source, fmt::format("entry {} of \"durations\" has \"{}\": {}, expected a string",
                                 number, key, shown(*found)));
    }
    return found->get<std::string>();
}

// Version 2: [{"name", "class", "tags", "seconds"}, ...]; "class" and "tags" both or neither.
void read_version_2(Json const& entries, std::string_view source, Durations& durations) {
    if (!entries.is_array()) {
        fail(source, fmt::format("\"durations\" is {}, expected a list of {{\"name\", \"class\", "
                                 "\"tags\", \"seconds\"}} objects (version 2)", shown(entries)));
    }
    std::size_t number = 0;
    for (auto const& entry : entries) {
        ++number;
        if (!entry.is_object()) {
            fail(source, fmt::format("entry {} of \"durations\" is {}, expected an object", number,
                                     shown(entry)));
        }
        auto name = text_field(entry, "name", number, source);
        auto class_name = text_field(entry, "class", number, source);
        auto tags = text_field(entry, "tags", number, source);
        if (!name) fail(source, fmt::format("entry {} of \"durations\" has no \"name\"", number));
        if (class_name.has_value() != tags.has_value()) {
            fail(source, fmt::format("entry {} of \"durations\" ({}) has \"{}\" without \"{}\": "
                                     "give both, or neither for every test case of that name",
                                     number, in_quotes(*name), class_name ? "class" : "tags",
                                     class_name ? "tags" : "class"));
        }
        bool const name_only = !class_name;
        TestIdentity test{std::move(*name), class_name.value_or(""), tags.value_or("")};
        auto const what = duration_of(test);
        auto seconds = entry.find("seconds");
        if (seconds == entry.end()) fail(source, what + " is missing: no \"seconds\"");
        auto const value = seconds_of(*seconds, what, source);
        bool const added = name_only ? durations.names.emplace(test.name, value).second
                                     : durations.tests.emplace(std::move(test), value).second;
        if (!added) fail(source, fmt::format("entry {} repeats an earlier entry: {}", number, what));
    }
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
    bool const known = version->is_number_integer() &&
                       (version->get<long long>() == 1 || version->get<long long>() == 2);
    if (!known) {
        fail(source, fmt::format("unsupported version {}: this shardtap reads versions 1 and 2",
                                 shown(*version)));
    }
    auto entries = document.find("durations");
    if (entries == document.end()) fail(source, "no \"durations\" field");

    Durations durations;
    if (version->get<long long>() == 1) {
        read_version_1(*entries, source, durations);
    } else {
        read_version_2(*entries, source, durations);
    }
    return durations;
}

std::string format_durations(Durations const& durations) {
    auto const quoted = [](std::string const& text) {
        return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    std::vector<std::string> lines;
    for (auto const& [test, seconds] : durations.tests) {
        lines.push_back(fmt::format("{{\"name\": {}, \"class\": {}, \"tags\": {}, \"seconds\": {}}}",
                                    quoted(test.name), quoted(test.class_name), quoted(test.tags),
                                    Json(seconds).dump()));
    }
    for (auto const& [name, seconds] : durations.names) {
        lines.push_back(fmt::format("{{\"name\": {}, \"seconds\": {}}}", quoted(name),
                                    Json(seconds).dump()));
    }
    return fmt::format("{{\n  \"format\": \"{}\",\n  \"version\": {},\n  \"durations\": [{}{}]\n}}\n",
                       durations_format, durations_version,
                       lines.empty() ? "" : "\n    " + fmt::format("{}", fmt::join(lines, ",\n    ")),
                       lines.empty() ? "" : "\n  ");
}

}  // namespace shardtap
