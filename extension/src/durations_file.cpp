#include <shardtap/durations.hpp>
#include <shardtap/read_file.hpp>

#include "json_quoted.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace shardtap {
namespace {

using Json = nlohmann::json;

std::string shown(Json const& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

[[noreturn]] void fail(std::string_view source, std::string const& problem) {
    throw DurationsError(fmt::format("shardtap: durations file {}: {}", json_quoted(source), problem));
}

// nlohmann's messages start with "[json.exception.parse_error.101] ": not for users.
std::string without_exception_id(std::string message) {
    if (!message.empty() && message.front() == '[') {
        auto end = message.find("] ");
        if (end != std::string::npos) message.erase(0, end + 2);
    }
    return message;
}

std::string system_error(int error) { return std::strerror(error); }

std::string directory_of(std::string const& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string file_name_of(std::string const& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A temporary file beside `path`, open for writing; its name is stored in `name`.
int create_temporary_beside(std::string const& path, std::string& name) {
    if (path.empty() || path.back() == '/') fail(path, "not a file name");
    struct stat status;
    if (stat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
        fail(path, "cannot write: it is a directory");
    }
    name = fmt::format("{}/.{}.XXXXXX", directory_of(path), file_name_of(path));
    int descriptor = mkstemp(name.data());
    if (descriptor < 0) {
        fail(path, fmt::format("cannot write in directory {}: {}", json_quoted(directory_of(path)),
                               system_error(errno)));
    }
    return descriptor;
}

bool write_all(int descriptor, std::string_view bytes) {
    while (!bytes.empty()) {
        auto written = ::write(descriptor, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
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
                                     json_quoted(name), shown(value)));
        }
        auto const seconds = value.get<double>();
        if (!(seconds >= 0)) {
            fail(source, fmt::format("the duration of {} is negative: {}", json_quoted(name),
                                     shown(value)));
        }
        if (seconds > max_recorded_seconds) {
            fail(source, fmt::format("the duration of {} is {}, more than the largest allowed, "
                                     "{} seconds", json_quoted(name), shown(value),
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

Durations read_durations(std::string const& path) {
    std::string text;
    try {
        text = read_file(path);
    } catch (FileReadError const& error) {
        fail(path, "cannot read: " + error.reason());
    }
    return parse_durations(text, path);
}

void write_durations(std::string const& path, Durations const& durations) {
    std::string temporary;
    int descriptor = create_temporary_beside(path, temporary);
    auto const text = format_durations(durations);
    bool const written = write_all(descriptor, text) && ::fchmod(descriptor, 0644) == 0 &&
                         ::fsync(descriptor) == 0;
    int const write_error = errno;
    bool const closed = ::close(descriptor) == 0;
    if (!written || !closed) {
        ::unlink(temporary.c_str());
        fail(path, "cannot write: " + system_error(written ? errno : write_error));
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        int const error = errno;
        ::unlink(temporary.c_str());
        fail(path, "cannot replace it: " + system_error(error));
    }
}

void check_durations_writable(std::string const& path) {
    std::string temporary;
    int descriptor = create_temporary_beside(path, temporary);
    ::close(descriptor);
    ::unlink(temporary.c_str());
}

}  // namespace shardtap
