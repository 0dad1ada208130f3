#pragma once
// One Catch2 test case per parameter value, like pytest's @pytest.mark.parametrize.
//
//     #include <shardtap/parametrize.hpp>
//
//     // 20 test cases, "test_slow[5-00]" ... "test_slow[5-19]", each tagged [slow].
//     SHARDTAP_PARAMETRIZE("test_slow", "[slow]", double wait_time, std::vector<double>(20, 5.0)) {
//         std::this_thread::sleep_for(std::chrono::duration<double>(wait_time));
//         CHECK(wait_time > 0);
//     }
//
// Unlike GENERATE inside one TEST_CASE, every value is a test case of its own: shardtap can
// send them to different nodes, a report shows each one, and each can be selected alone
// (Catch2 reads '[' on the command line as the start of a tag, so escape the brackets:
// `slow_tests 'test_slow\[5-03\]'`).
//
// Names: "{name}[{id}-{position}]", see shardtap/parameter_id.hpp. The id of a number, bool or
// string is its value (pytest's rule); any other type is shown with Catch::StringMaker, as
// Catch2 shows it in assertions; a type Catch2 cannot print gets "{name}[{position}]". Pass a
// function as the last argument to choose the ids yourself:
//
//     SHARDTAP_PARAMETRIZE("parses", "", Case c, cases(), [](Case const& c) { return c.label; }) {...}
//
// The parameter is declared like a function parameter (by value or by const reference); a
// type whose name contains a comma needs an alias. The values are a std::vector of the
// parameter's type, a braced list, or any range; they are copied at static-initialisation
// time, and each test case receives a fresh copy of its value when it runs.

#include <shardtap/parameter_id.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/catch_tostring.hpp>

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace shardtap {
namespace detail {

template <class T>
struct type_identity {
    using type = T;
};

template <class T>
struct is_string_like
    : std::bool_constant<std::is_convertible_v<T const&, std::string_view> &&
                         !std::is_same_v<std::decay_t<T>, std::nullptr_t>> {};

// pytest's default ids: numbers, booleans and strings by value, anything else as Catch2 prints it.
struct DefaultIds {
    template <class Value>
    std::string operator()(Value const& value) const {
        if constexpr (std::is_same_v<Value, bool>) {
            return parameter_id(value);
        } else if constexpr (std::is_same_v<Value, char>) {
            return parameter_id(std::string_view(&value, 1));
        } else if constexpr (std::is_integral_v<Value> && std::is_signed_v<Value>) {
            return parameter_id(static_cast<long long>(value));
        } else if constexpr (std::is_integral_v<Value>) {
            return parameter_id(static_cast<unsigned long long>(value));
        } else if constexpr (std::is_floating_point_v<Value>) {
            if constexpr (std::is_same_v<Value, float>) return parameter_id(value);
            else return parameter_id(static_cast<double>(value));
        } else if constexpr (is_string_like<Value>::value) {
            return parameter_id(std::string_view(value));
        } else {
            auto text = Catch::Detail::stringify(value);
            return text == "{?}" ? std::string() : text;  // Catch2's text for "cannot print"
        }
    }
};

template <class Parameter>
class ParameterInvoker final : public Catch::ITestInvoker {
public:
    using Value = std::decay_t<Parameter>;
    ParameterInvoker(void (*test)(Parameter), Value value)
        : test_(test), value_(std::move(value)) {}
    void invoke() const override {
        Value copy = value_;  // a test that changes its parameter leaves the next run unchanged
        test_(copy);
    }

private:
    void (*test_)(Parameter);
    Value value_;
};

}  // namespace detail

// Registers one test case per element of `values`, calling `test` with it; returns true (for
// use in a static initialiser). SHARDTAP_PARAMETRIZE is the usual way to call it.
template <class Parameter, class Range, class Ids = detail::DefaultIds>
bool parametrize(Catch::SourceLineInfo const& line, std::string_view name, std::string_view tags,
                 void (*test)(Parameter), Range const& values, Ids ids = {}) {
    using Value = std::decay_t<Parameter>;
    std::size_t const count = std::distance(std::begin(values), std::end(values));
    std::size_t position = 0;
    for (auto const& element : values) {
        Value value(element);
        std::string const id = ids(static_cast<Value const&>(value));
        std::string const test_name = parametrized_name(name, id, position, count);
        ++position;
        // Catch2 copies the name and tags; the invoker owns the value.
        Catch::AutoReg(Catch::Detail::unique_ptr<Catch::ITestInvoker>(
                           new detail::ParameterInvoker<Parameter>(test, std::move(value))),
                       line, Catch::StringRef(),
                       Catch::NameAndTags{Catch::StringRef(test_name), Catch::StringRef(tags.data(), tags.size())});
    }
    return true;
}

// The same with a braced list of values: {1, 2, 3}.
template <class Parameter, class Ids = detail::DefaultIds>
bool parametrize(Catch::SourceLineInfo const& line, std::string_view name, std::string_view tags,
                 void (*test)(Parameter),
                 typename detail::type_identity<std::initializer_list<std::decay_t<Parameter>>>::type values,
                 Ids ids = {}) {
    return parametrize<Parameter, std::initializer_list<std::decay_t<Parameter>>, Ids>(
        line, name, tags, test, values, ids);
}

}  // namespace shardtap

#define SHARDTAP_INTERNAL_CONCAT_(a, b) a##b
#define SHARDTAP_INTERNAL_CONCAT(a, b) SHARDTAP_INTERNAL_CONCAT_(a, b)
#define SHARDTAP_INTERNAL_PARAMETRIZE(function, registered, name, tags, parameter, ...)      \
    static void function(parameter);                                                       \
    namespace {                                                                            \
    [[maybe_unused]] bool const registered = ::shardtap::parametrize(                      \
        ::Catch::SourceLineInfo(__FILE__, static_cast<std::size_t>(__LINE__)), name, tags, \
        &function, __VA_ARGS__);                                                           \
    }                                                                                      \
    static void function(parameter)

#define SHARDTAP_INTERNAL_PARAMETRIZE_ID(id, ...)                                          \
    SHARDTAP_INTERNAL_PARAMETRIZE(SHARDTAP_INTERNAL_CONCAT(shardtap_parametrized_, id),      \
                                  SHARDTAP_INTERNAL_CONCAT(shardtap_registered_, id), __VA_ARGS__)

// SHARDTAP_PARAMETRIZE(name, tags, parameter declaration, values [, ids function]) { body }
#define SHARDTAP_PARAMETRIZE(name, tags, parameter, ...) \
    SHARDTAP_INTERNAL_PARAMETRIZE_ID(__COUNTER__, name, tags, parameter, __VA_ARGS__)
