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

// Compiles as C++14 (Catch2 v3's minimum): including it never asks more of a consumer's build.

#include <shardtap/parameter_id.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/catch_tostring.hpp>

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace shardtap {
namespace detail {

template <class T>
struct type_identity {
    using type = T;
};

// What kind of id a value gets, in the order pytest's rules are tried.
struct bool_id {};
struct char_id {};
struct signed_id {};
struct unsigned_id {};
struct floating_id {};
struct string_id {};
struct printed_id {};

template <class T>
using id_kind = typename std::conditional<
    std::is_same<T, bool>::value, bool_id,
    typename std::conditional<
        std::is_same<T, char>::value, char_id,
        typename std::conditional<
            std::is_integral<T>::value && std::is_signed<T>::value, signed_id,
            typename std::conditional<
                std::is_integral<T>::value, unsigned_id,
                typename std::conditional<
                    std::is_floating_point<T>::value, floating_id,
                    typename std::conditional<std::is_constructible<std::string, T const&>::value &&
                                                  !std::is_same<T, std::nullptr_t>::value,
                                              string_id, printed_id>::type>::type>::type>::type>::type>::type;

template <class Value>
std::string default_id(Value const& value, bool_id) { return parameter_id(value); }
template <class Value>
std::string default_id(Value const& value, char_id) { return parameter_id(std::string(1, value)); }
template <class Value>
std::string default_id(Value const& value, signed_id) { return parameter_id(static_cast<long long>(value)); }
template <class Value>
std::string default_id(Value const& value, unsigned_id) {
    return parameter_id(static_cast<unsigned long long>(value));
}
inline std::string default_id(float value, floating_id) { return parameter_id(value); }
template <class Value>
std::string default_id(Value const& value, floating_id) { return parameter_id(static_cast<double>(value)); }
template <class Value>
std::string default_id(Value const& value, string_id) { return parameter_id(std::string(value)); }
template <class Value>
std::string default_id(Value const& value, printed_id) {
    auto text = Catch::Detail::stringify(value);
    return text == "{?}" ? std::string() : text;  // Catch2's text for "cannot print"
}

// pytest's default ids: numbers, booleans and strings by value, anything else as Catch2 prints it.
struct DefaultIds {
    template <class Value>
    std::string operator()(Value const& value) const {
        return default_id(value, id_kind<Value>{});
    }
};

template <class Parameter>
class ParameterInvoker final : public Catch::ITestInvoker {
public:
    using Value = typename std::decay<Parameter>::type;
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

// What SHARDTAP_PARAMETRIZE's registration leaves behind: a class with a constructor, so that
// no compiler calls the static object unused (a bool would need [[maybe_unused]], C++17).
struct Registered {
    explicit Registered(bool) {}
};

}  // namespace detail

// Registers one test case per element of `values`, calling `test` with it; returns true (for
// use in a static initialiser). SHARDTAP_PARAMETRIZE is the usual way to call it.
template <class Parameter, class Range, class Ids = detail::DefaultIds>
bool parametrize(Catch::SourceLineInfo const& line, std::string const& name, std::string const& tags,
                 void (*test)(Parameter), Range const& values, Ids ids = {}) {
    using Value = typename std::decay<Parameter>::type;
    std::size_t const count = static_cast<std::size_t>(std::distance(std::begin(values), std::end(values)));
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
                       Catch::NameAndTags{Catch::StringRef(test_name), Catch::StringRef(tags)});
    }
    return true;
}

// The same with a braced list of values: {1, 2, 3}.
template <class Parameter, class Ids = detail::DefaultIds>
bool parametrize(Catch::SourceLineInfo const& line, std::string const& name, std::string const& tags,
                 void (*test)(Parameter),
                 typename detail::type_identity<std::initializer_list<typename std::decay<Parameter>::type>>::type values,
                 Ids ids = {}) {
    return parametrize<Parameter, std::initializer_list<typename std::decay<Parameter>::type>, Ids>(
        line, name, tags, test, values, ids);
}

}  // namespace shardtap

#define SHARDTAP_INTERNAL_CONCAT_(a, b) a##b
#define SHARDTAP_INTERNAL_CONCAT(a, b) SHARDTAP_INTERNAL_CONCAT_(a, b)
#define SHARDTAP_INTERNAL_PARAMETRIZE(function, registered, name, tags, parameter, ...)      \
    static void function(parameter);                                                       \
    namespace {                                                                            \
    ::shardtap::detail::Registered const registered(::shardtap::parametrize(               \
        ::Catch::SourceLineInfo(__FILE__, static_cast<std::size_t>(__LINE__)), name, tags, \
        &function, __VA_ARGS__));                                                          \
    }                                                                                      \
    static void function(parameter)

#define SHARDTAP_INTERNAL_PARAMETRIZE_ID(id, ...)                                          \
    SHARDTAP_INTERNAL_PARAMETRIZE(SHARDTAP_INTERNAL_CONCAT(shardtap_parametrized_, id),      \
                                  SHARDTAP_INTERNAL_CONCAT(shardtap_registered_, id), __VA_ARGS__)

// SHARDTAP_PARAMETRIZE(name, tags, parameter declaration, values [, ids function]) { body }
#define SHARDTAP_PARAMETRIZE(name, tags, parameter, ...) \
    SHARDTAP_INTERNAL_PARAMETRIZE_ID(__COUNTER__, name, tags, parameter, __VA_ARGS__)
