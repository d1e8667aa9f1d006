// burrow completion bash|zsh|fish: shell completion scripts generated from the CLI11 command
// tree, so that they cannot drift from the flags the commands really take. The files in
// completions/ are this output (contrib/gen-completions.sh; tests/check-completions.sh fails
// when they are stale).
#include "cli/global.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace burrow::cli {

namespace {

struct OptionSpec {
    std::vector<std::string> shorts; // "-f"
    std::vector<std::string> longs;  // "--format"
    std::string description;
    std::string value_name; // "text", "n"; empty for a flag
    bool repeatable = false;
    std::vector<std::string> choices;

    bool takes_value() const { return !value_name.empty(); }
    std::vector<std::string> names() const {
        std::vector<std::string> all = shorts;
        all.insert(all.end(), longs.begin(), longs.end());
        return all;
    }
};

enum class Args {
    none,   // no arguments
    files,  // arguments, completed as files
    command // a command line of its own: after the first argument, nothing is burrow's
};

struct CommandSpec {
    std::string name;
    std::string path; // "burrow network ls"
    std::string description;
    std::vector<OptionSpec> options;
    std::vector<CommandSpec> subcommands;
    Args args = Args::none;
    std::vector<std::string> arg_choices;
};

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// CLI11 describes an IsMember check in the type name: "TEXT:{bash,zsh,fish}".
std::vector<std::string> choices_of(const CLI::Option& opt) {
    std::string type = opt.get_type_name();
    auto open = type.find('{');
    auto close = type.find('}', open);
    if (open == std::string::npos || close == std::string::npos)
        return {};
    std::string set = type.substr(open + 1, close - open - 1);
    if (set.find("->") != std::string::npos)
        return {};
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= set.size()) {
        size_t comma = set.find(',', start);
        std::string item = set.substr(start, comma == std::string::npos ? comma : comma - start);
        if (!item.empty())
            out.push_back(item);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

// "KEY=VALUE" → "key=value"; "USER[:GROUP]:{a,b}" → "user": the name zsh shows for the value,
// which must not hold the ':' and '[' that its specs use as syntax.
std::string value_name_of(const CLI::Option& opt) {
    std::string type = lower(opt.get_type_name());
    size_t end = 0;
    while (end < type.size() && (std::isalnum(static_cast<unsigned char>(type[end])) ||
                                 type[end] == '=' || type[end] == '_' || type[end] == '-'))
        ++end;
    return end == 0 ? "value" : type.substr(0, end);
}

CommandSpec describe(const CLI::App& app, const std::string& parent_path) {
    CommandSpec c;
    c.name = app.get_name();
    c.path = parent_path.empty() ? c.name : parent_path + " " + c.name;
    c.description = first_line(app.get_description());
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_group().empty())
            continue; // hidden
        if (opt->get_snames().empty() && opt->get_lnames().empty()) {
            c.args = Args::files;
            auto choices = choices_of(*opt);
            c.arg_choices.insert(c.arg_choices.end(), choices.begin(), choices.end());
            continue;
        }
        OptionSpec o;
        for (const auto& s : opt->get_snames())
            o.shorts.push_back("-" + s);
        for (const auto& l : opt->get_lnames())
            o.longs.push_back("--" + l);
        o.description = first_line(opt->get_description());
        // a flag expects no value: CLI11 sets expected(0) for it
        if (opt->get_expected_max() > 0 && opt->get_type_size_max() > 0)
            o.value_name = value_name_of(*opt);
        o.repeatable = o.takes_value() && opt->get_expected_max() > 1;
        o.choices = choices_of(*opt);
        c.options.push_back(std::move(o));
    }
    if (app.get_prefix_command())
        c.args = Args::command;
    else if (app.get_allow_extras() && c.args == Args::none)
        c.args = Args::files;
    auto subs = app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
    for (const CLI::App* sub : subs)
        c.subcommands.push_back(describe(*sub, c.path));
    std::sort(c.subcommands.begin(), c.subcommands.end(),
              [](const CommandSpec& a, const CommandSpec& b) { return a.name < b.name; });
    return c;
}

template <class F> void for_each_command(const CommandSpec& c, F&& f) {
    f(c);
    for (const auto& sub : c.subcommands)
        for_each_command(sub, f);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? sep : "") + items[i];
    return out;
}

// Inside '…' in sh, bash and zsh.
std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s)
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::string header(const std::string& shell) {
    return "Generated from the command tree by `burrow completion " + shell +
           "`: do not edit, run contrib/gen-completions.sh";
}

// ---- bash -------------------------------------------------------------------------------------

std::string bash_script(const CommandSpec& root) {
    std::string out;
    out += "# bash completion for " + root.name + "\n# " + header("bash") + "\n\n";
    out += "# What each command takes: subcommands, flags, options with a value, and its other\n"
           "# arguments (0: none, 1: files, 2: a command line of its own).\n";
    out += "_" + root.name + "_spec() {\n    case \"$1\" in\n";
    for_each_command(root, [&](const CommandSpec& c) {
        std::vector<std::string> cmds, flags, opts;
        for (const auto& sub : c.subcommands)
            cmds.push_back(sub.name);
        for (const auto& o : c.options)
            for (const auto& n : o.names())
                (o.takes_value() ? opts : flags).push_back(n);
        out += "    \"" + c.path + "\")\n";
        out += "        cmds=\"" + join(cmds, " ") + "\"\n";
        out += "        flags=\"" + join(flags, " ") + "\"\n";
        out += "        opts=\"" + join(opts, " ") + "\"\n";
        out += "        args=" + std::to_string(static_cast<int>(c.args)) + "\n";
        out += "        ;;\n";
    });
    out += "    esac\n}\n\n";

    out += "# The values of options and arguments that take one of a fixed set.\n";
    out += "_" + root.name + "_choices() {\n    case \"$1 $2\" in\n";
    for_each_command(root, [&](const CommandSpec& c) {
        for (const auto& o : c.options)
            if (!o.choices.empty())
                for (const auto& n : o.names())
                    out += "    \"" + c.path + " " + n + "\") echo " +
                           sh_quote(join(o.choices, " ")) + " ;;\n";
        if (!c.arg_choices.empty())
            out += "    \"" + c.path + " @\") echo " + sh_quote(join(c.arg_choices, " ")) + " ;;\n";
    });
    out += "    esac\n}\n\n";

    const std::string fn = "_" + root.name;
    out += fn + "() {\n";
    out += R"(    local cur prev words cword
    if declare -F _get_comp_words_by_ref >/dev/null; then
        _get_comp_words_by_ref -n =: cur prev words cword
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD - 1]}"
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local cmds flags opts args path=)" +
           root.name + R"( w i skip=0 nargs=0
    )" + fn +
           R"(_spec "$path"
    for ((i = 1; i < cword; i++)); do
        w="${words[i]}"
        if ((skip)); then
            skip=0
            continue
        fi
        case "$w" in
        --)
            compopt -o default 2>/dev/null
            COMPREPLY=()
            return
            ;;
        -*=*) ;;
        -*) [[ " $opts " == *" $w "* ]] && skip=1 ;;
        *)
            if [[ " $cmds " == *" $w "* ]]; then
                path="$path $w"
                )" +
           fn + R"(_spec "$path"
                nargs=0
            else
                nargs=$((nargs + 1))
            fi
            ;;
        esac
    done
    if ((args == 2 && nargs > 0)); then
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return
    fi
    local choices
    if [[ "$cur" == -*=* ]]; then
        choices=$()" +
           fn + R"(_choices "$path" "${cur%%=*}")
        if [[ -n "$choices" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "${cur#*=}")
        else
            compopt -o default 2>/dev/null
            COMPREPLY=()
        fi
        return
    fi
    if [[ "$prev" == -* && " $opts " == *" $prev "* ]]; then
        choices=$()" +
           fn + R"(_choices "$path" "$prev")
        if [[ -n "$choices" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
        else
            compopt -o default 2>/dev/null
            COMPREPLY=()
        fi
        return
    fi
    if [[ "$cur" == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$flags $opts" -- "$cur")
        return
    fi
    if [[ -n "$cmds" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
        return
    fi
    choices=$()" +
           fn + R"(_choices "$path" @)
    if [[ -n "$choices" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
    elif ((args)); then
        compopt -o default 2>/dev/null
        COMPREPLY=()
    fi
}

complete -F )" +
           fn + " " + root.name + "\n";
    return out;
}

// ---- zsh --------------------------------------------------------------------------------------

std::string zsh_escape_description(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '[' || ch == ']' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out;
}

std::string zsh_function_name(const CommandSpec& c) {
    std::string name = "_" + c.path;
    for (char& ch : name)
        if (ch == ' ' || ch == '-')
            ch = '_';
    return name;
}

std::vector<std::string> zsh_option_specs(const OptionSpec& o) {
    std::vector<std::string> specs;
    std::vector<std::string> names = o.names();
    std::string exclusion;
    if (o.longs.size() == 1 && o.longs[0] == "--help")
        exclusion = "(- *)";
    else if (o.repeatable)
        exclusion = "*";
    else if (names.size() > 1)
        exclusion = "(" + join(names, " ") + ")";
    std::string action;
    if (o.takes_value()) {
        action = ":" + o.value_name + ":";
        action += o.choices.empty() ? "_files" : "(" + join(o.choices, " ") + ")";
    }
    for (const auto& n : names) {
        std::string suffix;
        if (o.takes_value())
            suffix = n.size() == 2 ? "+" : "=";
        specs.push_back(exclusion + n + suffix + "[" + zsh_escape_description(o.description) + "]" +
                        action);
    }
    return specs;
}

void zsh_command_function(const CommandSpec& c, std::string& out) {
    out += zsh_function_name(c) + "() {\n";
    std::vector<std::string> specs;
    for (const auto& o : c.options)
        for (const auto& s : zsh_option_specs(o))
            specs.push_back(sh_quote(s));
    if (!c.subcommands.empty()) {
        out += "    local curcontext=\"$curcontext\" state line ret=1\n";
        out += "    typeset -A opt_args\n";
        specs.push_back("'1: :->command'");
        specs.push_back("'*:: :->args'");
        out += "    _arguments -C -s";
        for (const auto& s : specs)
            out += " \\\n        " + s;
        out += " && ret=0\n";
        out += "    case $state in\n    command)\n        local -a commands\n        commands=(\n";
        for (const auto& sub : c.subcommands) {
            std::string item = sub.name + ":" + sub.description;
            out += "            " + sh_quote(item) + "\n";
        }
        out += "        )\n";
        out += "        _describe -t commands " + sh_quote(c.path + " command") +
               " commands && ret=0\n        ;;\n";
        out += "    args)\n";
        out += "        curcontext=\"${curcontext%:*:*}:" + zsh_function_name(c).substr(1) +
               "-$words[1]:\"\n";
        out += "        case $words[1] in\n";
        for (const auto& sub : c.subcommands)
            out += "        " + sub.name + ") " + zsh_function_name(sub) + " && ret=0 ;;\n";
        out += "        esac\n        ;;\n    esac\n    return ret\n}\n\n";
    } else {
        if (c.args == Args::files)
            specs.push_back(c.arg_choices.empty()
                                ? "'*:argument:_files'"
                                : sh_quote("*:argument:(" + join(c.arg_choices, " ") + ")"));
        else if (c.args == Args::command)
            specs.push_back("'*::argument:_normal'");
        out += "    _arguments -s";
        for (const auto& s : specs)
            out += " \\\n        " + s;
        out += "\n}\n\n";
    }
    for (const auto& sub : c.subcommands)
        zsh_command_function(sub, out);
}

std::string zsh_script(const CommandSpec& root) {
    std::string out = "#compdef " + root.name + "\n# zsh completion for " + root.name + "\n# " +
                      header("zsh") + "\n\n";
    zsh_command_function(root, out);
    // autoloaded from $fpath the file is the completion function; sourced, it registers it
    std::string fn = zsh_function_name(root);
    out += "if [ \"$funcstack[1]\" = \"" + fn + "\" ]; then\n    " + fn +
           " \"$@\"\nelse\n    compdef " + fn + " " + root.name + "\nfi\n";
    return out;
}

// ---- fish -------------------------------------------------------------------------------------

std::string fish_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) {
        if (ch == '\'' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out + "'";
}

std::string fish_script(const CommandSpec& root) {
    const std::string& prog = root.name;
    const std::string fn = "__" + prog;
    std::string out = "# fish completion for " + prog + "\n# " + header("fish") + "\n\n";

    std::vector<std::string> commands, value_options, command_lines;
    for_each_command(root, [&](const CommandSpec& c) {
        if (&c != &root)
            commands.push_back(fish_quote(c.path));
        if (c.args == Args::command)
            command_lines.push_back(fish_quote(c.path));
        for (const auto& o : c.options)
            if (o.takes_value())
                for (const auto& n : o.names())
                    value_options.push_back(fish_quote(c.path + " " + n));
    });
    auto list = [&](const std::string& var, const std::vector<std::string>& items) {
        out += "set -g " + var;
        for (const auto& i : items)
            out += " \\\n    " + i;
        out += "\n";
    };
    list(fn + "_commands", commands);
    list(fn + "_value_options", value_options);
    list(fn + "_command_lines", command_lines);
    out += "\n";
    out += "# The command path under the cursor (\"" + prog +
           " run\"), found by skipping options\n"
           "# and their values; \"… --\" once the words belong to the command a container runs.\n";
    out += "function " + fn + "_path\n";
    out += "    set -l words (commandline -opc)\n";
    out += "    set -e words[1]\n";
    out += "    set -l path " + prog + "\n";
    out += "    set -l skip 0\n";
    out += "    for w in $words\n";
    out += "        if test $skip = 1\n            set skip 0\n            continue\n        end\n";
    out += "        switch $w\n";
    out += "            case '--'\n                echo \"$path --\"\n                return\n";
    out += "            case '-*=*'\n";
    out += "            case '-*'\n";
    out += "                contains -- \"$path $w\" $" + fn + "_value_options; and set skip 1\n";
    out += "            case '*'\n";
    out += "                if contains -- \"$path $w\" $" + fn + "_commands\n";
    out += "                    set path \"$path $w\"\n";
    out += "                else if contains -- \"$path\" $" + fn + "_command_lines\n";
    out += "                    echo \"$path --\"\n                    return\n";
    out += "                end\n";
    out += "        end\n    end\n    echo $path\nend\n\n";
    out += "function " + fn + "_at\n    test (" + fn + "_path) = \"$argv[1]\"\nend\n\n";
    out += "complete -c " + prog + " -f\n";

    for_each_command(root, [&](const CommandSpec& c) {
        std::string cond = " -n " + fish_quote(fn + "_at '" + c.path + "'");
        out += "\n# " + c.path + "\n";
        for (const auto& sub : c.subcommands)
            out += "complete -c " + prog + cond + " -a " + fish_quote(sub.name) + " -d " +
                   fish_quote(sub.description) + "\n";
        for (const auto& o : c.options) {
            std::string line = "complete -c " + prog + cond;
            for (const auto& s : o.shorts)
                line += " -s " + s.substr(1);
            for (const auto& l : o.longs)
                line += " -l " + l.substr(2);
            if (o.takes_value())
                line += o.choices.empty() ? " -r -F" : " -x -a " + fish_quote(join(o.choices, " "));
            line += " -d " + fish_quote(o.description);
            out += line + "\n";
        }
        if (!c.arg_choices.empty())
            out +=
                "complete -c " + prog + cond + " -a " + fish_quote(join(c.arg_choices, " ")) + "\n";
        else if (c.args != Args::none)
            out += "complete -c " + prog + cond + " -F\n";
        if (c.args == Args::command)
            out += "complete -c " + prog + " -n " + fish_quote(fn + "_at '" + c.path + " --'") +
                   " -F\n";
    });
    return out;
}

} // namespace

void setup_completion_command(CLI::App& command, GlobalOptions&) {
    CLI::App* cmd = &command;
    cmd->footer("Examples:\n"
                "  burrow completion bash > ~/.local/share/bash-completion/completions/burrow\n"
                "  burrow completion zsh > \"${fpath[1]}/_burrow\"\n"
                "  burrow completion fish > ~/.config/fish/completions/burrow.fish");
    auto shell = std::make_shared<std::string>();
    cmd->add_option("shell", *shell, "The shell: bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    CLI::App* root = cmd->get_parent();
    cmd->callback([root, shell] {
        CommandSpec spec = describe(*root, "");
        if (*shell == "bash")
            std::cout << bash_script(spec);
        else if (*shell == "zsh")
            std::cout << zsh_script(spec);
        else
            std::cout << fish_script(spec);
    });
}

} // namespace burrow::cli
