#include "core/durations/durations.hpp"

#include "core/text/json.hpp"
#include "core/text/quoted.hpp"

#include <fmt/core.h>

#include <optional>

namespace shardtap {
namespace {

std::string duration_of(TestIdentityView test) { return "the duration of " + describe(test); }

double seconds_of(JsonValue const& value, std::string const& what, std::string_view source) {
    if (value.type != JsonType::number) {
        throw durations_file_error(source, fmt::format("{} is {}, expected a number of seconds", what, write_json(value)));
    }
    auto const seconds = value.number;
    if (!(seconds >= 0)) throw durations_file_error(source, fmt::format("{} is negative: {}", what, write_json(value)));
    if (seconds > max_recorded_seconds) {
        throw durations_file_error(source, fmt::format("{} is {}, more than the largest allowed, {} seconds", what,
                                 write_json(value), max_recorded_seconds));
    }
    return seconds;
}

// Version 1: {"name": seconds, ...}, every entry by name only.
void read_version_1(JsonValue const& entries, std::string_view source, Durations& durations) {
    if (entries.type != JsonType::object) {
        throw durations_file_error(source, fmt::format("\"durations\" is {}, expected an object of test case name to "
                                 "seconds (version 1)", write_json(entries)));
    }
    for (auto const& [name, value] : entries.object) {
        durations.names.emplace(name, seconds_of(value, duration_of({name, {}, {}}), source));
    }
}

// A string field of a version 2 entry; none when the entry lacks it.
std::optional<std::string> text_field(JsonValue const& entry, char const* key, std::size_t number,
                                      std::string_view source) {
    auto const* found = entry.find(key);
    if (!found) return std::nullopt;
    if (found->type != JsonType::string) {
        throw durations_file_error(source, fmt::format("entry {} of \"durations\" has \"{}\": {}, expected a string",
                                 number, key, write_json(*found)));
    }
    return found->string;
}

// Version 2: [{"name", "class", "tags", "seconds"}, ...]; "class" and "tags" both or neither.
void read_version_2(JsonValue const& entries, std::string_view source, Durations& durations) {
    if (entries.type != JsonType::array) {
        throw durations_file_error(source, fmt::format("\"durations\" is {}, expected a list of {{\"name\", \"class\", "
                                 "\"tags\", \"seconds\"}} objects (version 2)", write_json(entries)));
    }
    std::size_t number = 0;
    for (auto const& entry : entries.array) {
        ++number;
        if (entry.type != JsonType::object) {
            throw durations_file_error(source, fmt::format("entry {} of \"durations\" is {}, expected an object", number,
                                     write_json(entry)));
        }
        auto name = text_field(entry, "name", number, source);
        auto class_name = text_field(entry, "class", number, source);
        auto tags = text_field(entry, "tags", number, source);
        if (!name) throw durations_file_error(source, fmt::format("entry {} of \"durations\" has no \"name\"", number));
        if (class_name.has_value() != tags.has_value()) {
            throw durations_file_error(source, fmt::format("entry {} of \"durations\" ({}) has \"{}\" without \"{}\": "
                                     "give both, or neither for every test case of that name",
                                     number, in_quotes(*name), class_name ? "class" : "tags",
                                     class_name ? "tags" : "class"));
        }
        bool const name_only = !class_name;
        TestIdentity test{std::move(*name), class_name.value_or(""), tags.value_or("")};
        auto const what = duration_of(test);
        auto const* seconds = entry.find("seconds");
        if (!seconds) throw durations_file_error(source, what + " is missing: no \"seconds\"");
        auto const value = seconds_of(*seconds, what, source);
        bool const added = name_only ? durations.names.emplace(test.name, value).second
                                     : durations.tests.emplace(std::move(test), value).second;
        if (!added) throw durations_file_error(source, fmt::format("entry {} repeats an earlier entry: {}", number, what));
    }
}

// One line of a version 2 file: by name only without `test`.
void append_entry(std::string& out, std::string_view name, double seconds,
                  TestIdentity const* test = nullptr) {
    out += out.back() == '[' ? "\n    " : ",\n    ";  // the first entry follows the '['
    out += "{\"name\": ";
    append_json_string(out, name);
    if (test) {
        out += ", \"class\": ";
        append_json_string(out, test->class_name);
        out += ", \"tags\": ";
        append_json_string(out, test->tags);
    }
    out += ", \"seconds\": ";
    append_json_number(out, seconds);
    out += '}';
}

}  // namespace

DurationsError durations_file_error(std::string_view file, std::string_view problem) {
    return DurationsError(fmt::format("shardtap: durations file {}: {}", in_quotes(file), problem));
}

Durations parse_durations(std::string_view text, std::string_view source) {
    JsonValue document;
    try {
        document = parse_json(text);
    } catch (JsonError const& error) {
        throw durations_file_error(source, std::string("malformed JSON: ") + error.what());
    }
    if (document.type != JsonType::object) throw durations_file_error(source, "malformed: the top level is not a JSON object");

    auto const* format = document.find("format");
    if (!format) throw durations_file_error(source, "not a shardtap durations file: no \"format\" field");
    if (format->type != JsonType::string || format->string != durations_format) {
        throw durations_file_error(source, fmt::format("wrong format {}, expected \"{}\"", write_json(*format),
                                 durations_format));
    }
    auto const* version = document.find("version");
    if (!version) throw durations_file_error(source, "no \"version\" field");
    bool const known = version->type == JsonType::number && version->integer &&
                       (version->number == 1 || version->number == 2);
    if (!known) {
        throw durations_file_error(source, fmt::format("unsupported version {}: this shardtap reads versions 1 and 2",
                                 write_json(*version)));
    }
    auto const* entries = document.find("durations");
    if (!entries) throw durations_file_error(source, "no \"durations\" field");

    Durations durations;
    if (version->number == 1) {
        read_version_1(*entries, source, durations);
    } else {
        read_version_2(*entries, source, durations);
    }
    return durations;
}

std::string format_durations(Durations const& durations) {
    std::string out = "{\n  \"format\": ";
    append_json_string(out, durations_format);
    out += ",\n  \"version\": " + std::to_string(durations_version) + ",\n  \"durations\": [";
    for (auto const& [test, seconds] : durations.tests) append_entry(out, test.name, seconds, &test);
    for (auto const& [name, seconds] : durations.names) append_entry(out, name, seconds);
    out += durations.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

}  // namespace shardtap
