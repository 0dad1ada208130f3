#include "cli/option_table.hpp"

#include "cli/arguments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace shardtap::tools {
namespace {

constexpr std::size_t help_width = 80;

// `words` filled into lines of at most help_width columns: the first starts with `first`, the
// others with `indent` blanks.
std::string filled(std::vector<std::string> const& words, std::string const& first, std::size_t indent) {
    std::string text = first, line = first;
    bool line_empty = true;
    for (auto const& word : words) {
        if (!line_empty && line.size() + 1 + word.size() > help_width) {
            text += "\n" + std::string(indent, ' ');
            line = std::string(indent, ' ');
            line_empty = true;
        }
        std::string const piece = line_empty ? word : " " + word;
        text += piece;
        line += piece;
        line_empty = false;
    }
    return text + "\n";
}

std::vector<std::string> words_of(std::string const& text) {
    std::istringstream stream(text);
    std::vector<std::string> words;
    for (std::string word; stream >> word;) words.push_back(word);
    return words;
}

std::string written(OptionText const& option) { return option.name + " " + option.value; }

// The synopsis's words: each option, bracketed as it is shown, then the operands.
std::vector<std::string> synopsis_words(SubcommandText const& subcommand) {
    std::vector<std::string> words;
    bool files_shown = false;
    for (auto const& option : subcommand.options) {
        switch (option.shown) {
        case Shown::required: words.push_back(written(option)); break;
        case Shown::optional: words.push_back("[" + written(option) + "]"); break;
        case Shown::nested:
            words.back().insert(words.back().size() - 1, " [" + written(option) + "]...");
            break;
        case Shown::or_files:
            words.push_back("(" + written(option) + " | " + subcommand.operands + ")");
            files_shown = true;
            break;
        }
    }
    if (!files_shown) words.push_back(subcommand.operands);
    return words;
}

// An option as the help's list names it: "-n, --nodes N", "--tap FILE".
std::string label(OptionText const& option) {
    return (option.alias.empty() ? option.name : option.name + ", " + option.alias) + " " + option.value;
}

}  // namespace

std::optional<std::string> option_value(std::vector<std::string> const& arguments, std::size_t& i,
                                        std::string const& subcommand, OptionText const& option) {
    std::string const& argument = arguments[i];
    for (std::string const& name : {option.name, option.alias}) {
        if (name.empty()) continue;
        if (argument == name) {
            if (i + 1 >= arguments.size()) throw UsageError(fmt::format("{}: {} needs a value", subcommand, name));
            return arguments[++i];
        }
        if (name.rfind("--", 0) == 0 && argument.rfind(name + "=", 0) == 0) {
            return argument.substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

std::string synopsis(SubcommandText const& subcommand) {
    std::string const first = "shardtap " + subcommand.name + " ";
    return filled(synopsis_words(subcommand), first, first.size());
}

std::string help(SubcommandText const& subcommand) {
    std::string text = synopsis(subcommand) + filled(words_of(subcommand.summary), "  ", 2);
    std::size_t width = 0;
    for (auto const& option : subcommand.options) width = std::max(width, label(option).size());
    for (auto const& option : subcommand.options) {
        std::string const first = fmt::format("  {:<{}}  ", label(option), width);
        text += filled(words_of(option.description), first, first.size());
    }
    return text;
}

}  // namespace shardtap::tools
