#pragma once
// A subcommand's options as one table: how each is written, the value it takes, what it does
// and where the value goes. The parser reads the command line by the table and the help is
// written from it, so the help can name no option the parser does not take, nor miss one.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace shardtap::tools {

// Where an option stands in the synopsis.
enum class Shown {
    required,  // -n N
    optional,  // [--out DIR]
    nested,    // inside the previous option's brackets, repeatable: [--durations FILE [--node-durations NODE.json]...]
    or_files,  // in place of the files: (--durations FILE | NODE.tap...)
};

struct OptionText {
    std::string name;         // "--tap"
    std::string alias;        // another spelling ("--nodes" for "-n"), or empty
    std::string value;        // what it takes: "FILE", "N", "SECONDS"
    std::string description;  // the help's words, wrapped by the help
    Shown shown = Shown::optional;
};

// One subcommand's help: its synopsis, what it does, then a line (or more) per option.
struct SubcommandText {
    std::string name;      // "run"
    std::string operands;  // after the options: "-- CMD [ARGS...]", "NODE.tap..."
    std::string summary;   // what the subcommand does, beyond any one option
    std::vector<OptionText> options;
};

template <class Options>
struct Option {
    OptionText text;
    void (*store)(Options& options, std::string const& value);
};

template <class Options>
struct Subcommand {
    std::string name;
    std::string operands;
    std::string summary;
    std::vector<Option<Options>> options;

    SubcommandText text() const {
        SubcommandText text{name, operands, summary, {}};
        for (auto const& option : options) text.options.push_back(option.text);
        return text;
    }
};

// The value of arguments[i] when it is the option, given as "NAME VALUE" or "--name=VALUE"
// (either spelling); `i` then moves past it. A missing value is a UsageError.
std::optional<std::string> option_value(std::vector<std::string> const& arguments, std::size_t& i,
                                        std::string const& subcommand, OptionText const& option);

// Reads arguments[i] as one of the subcommand's options into `options`; false when it is none.
template <class Options>
bool read_option(Subcommand<Options> const& subcommand, std::vector<std::string> const& arguments,
                 std::size_t& i, Options& options) {
    for (auto const& option : subcommand.options) {
        if (auto value = option_value(arguments, i, subcommand.name, option.text)) {
            option.store(options, *value);
            return true;
        }
    }
    return false;
}

// "shardtap run -n N [--out DIR] ... -- CMD [ARGS...]", wrapped at 80 columns with the
// continuation lines under the first option.
std::string synopsis(SubcommandText const& subcommand);

// The synopsis, the summary and the options, each line ending in a newline.
std::string help(SubcommandText const& subcommand);

}  // namespace shardtap::tools
