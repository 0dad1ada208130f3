#include "posix/files.hpp"

#include "temporary_directory.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <string>

using namespace shardtap;

TEST_CASE("read_file gives every byte, from an offset on") {
    std::string content(200000, '\0');  // more than one read's worth
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 % 256);
    TemporaryDirectory directory;
    auto const file = directory.file("bytes");
    put(file, content);
    CHECK(read_file(file) == content);
    CHECK(read_file(file, 65537) == content.substr(65537));
    CHECK(read_file(file, content.size()).empty());
    CHECK(read_file(file, content.size() + 10).empty());
    put(directory.file("empty"), "");
    CHECK(read_file(directory.file("empty")).empty());
}

TEST_CASE("a file that cannot be read: its path and the system's reason") {
    CHECK_THROWS_WITH(read_file("/nonexistent/node-3.tap"),
                      R"(cannot read "/nonexistent/node-3.tap": No such file or directory)");
    TemporaryDirectory directory;
    try {
        read_file(directory.path().string());
        FAIL("a directory was read");
    } catch (FileReadError const& error) {
        CHECK(error.path() == directory.path().string());
        CHECK(error.reason() == "Is a directory");
    }
}
