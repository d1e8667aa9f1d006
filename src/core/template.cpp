#include "core/template.hpp"

#include "core/error.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace burrow {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& msg) {
    throw Error("template: " + msg);
}

// ---- the parsed form --------------------------------------------------------------------------

struct Pipeline;

struct Operand {
    enum class Kind { dot, field, literal, pipeline };
    Kind kind = Kind::dot;
    std::vector<std::string> path; // field names, for Kind::field
    json literal;
    std::shared_ptr<Pipeline> sub; // a parenthesized pipeline, for Kind::pipeline
};

struct Command {
    std::string function; // empty: the command is a single operand
    std::vector<Operand> args;
};

struct Pipeline {
    std::vector<Command> commands;
    std::string source; // `{{…}}` as written, for error messages
};

struct Node {
    enum class Kind { text, action, if_, range, with };
    Kind kind = Kind::text;
    std::string text;
    Pipeline pipe;
    std::vector<Node> body;
    std::vector<Node> else_body;
};

// ---- splitting into text and actions ----------------------------------------------------------

struct Piece {
    bool is_action = false;
    std::string text; // the text, or the inside of the action without its trim markers
    std::string source;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void trim_right(std::string& s) {
    while (!s.empty() && is_space(s.back()))
        s.pop_back();
}

void trim_left(std::string& s) {
    size_t i = 0;
    while (i < s.size() && is_space(s[i]))
        ++i;
    s.erase(0, i);
}

std::string unescape_format(std::string_view tmpl) {
    // docker replaces these before parsing, so that `--format 'a\tb'` works from any shell
    std::string out;
    out.reserve(tmpl.size());
    for (size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '\\' && i + 1 < tmpl.size() && (tmpl[i + 1] == 't' || tmpl[i + 1] == 'n')) {
            out += tmpl[i + 1] == 't' ? '\t' : '\n';
            ++i;
        } else {
            out += tmpl[i];
        }
    }
    return out;
}

std::vector<Piece> split_pieces(const std::string& tmpl) {
    std::vector<Piece> pieces;
    bool trim_next_text = false;
    size_t pos = 0;
    while (pos <= tmpl.size()) {
        size_t open = tmpl.find("{{", pos);
        std::string text =
            tmpl.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
        if (trim_next_text)
            trim_left(text);
        trim_next_text = false;
        if (open == std::string::npos) {
            if (!text.empty())
                pieces.push_back({false, text, text});
            break;
        }
        size_t close = tmpl.find("}}", open + 2);
        if (close == std::string::npos)
            fail("unclosed action: " + tmpl.substr(open));
        std::string inner = tmpl.substr(open + 2, close - open - 2);
        std::string source = tmpl.substr(open, close + 2 - open);
        // `{{- ` and ` -}}` need the space, or `{{-3}}` would be a trim and not a number
        if (inner.size() >= 2 && inner[0] == '-' && is_space(inner[1])) {
            trim_right(text);
            inner.erase(0, 1);
        }
        if (inner.size() >= 2 && inner.back() == '-' && is_space(inner[inner.size() - 2])) {
            trim_next_text = true;
            inner.pop_back();
        }
        if (!text.empty())
            pieces.push_back({false, text, text});
        trim_left(inner);
        trim_right(inner);
        bool comment = inner.size() >= 4 && inner.starts_with("/*") && inner.ends_with("*/");
        if (!comment)
            pieces.push_back({true, inner, source});
        pos = close + 2;
    }
    return pieces;
}

// ---- tokens inside an action ------------------------------------------------------------------

struct Token {
    enum class Kind { word, field, string, number, pipe, open, close };
    Kind kind;
    std::string text;
};

bool is_ident(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::vector<Token> tokenize(const std::string& s, const std::string& source) {
    std::vector<Token> tokens;
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '|' || c == '(' || c == ')') {
            tokens.push_back({c == '|'   ? Token::Kind::pipe
                              : c == '(' ? Token::Kind::open
                                         : Token::Kind::close,
                              std::string(1, c)});
            ++i;
        } else if (c == '.') {
            size_t j = i + 1;
            while (j < s.size() && (is_ident(s[j]) || s[j] == '.'))
                ++j;
            tokens.push_back({Token::Kind::field, s.substr(i, j - i)});
            i = j;
        } else if (c == '"') {
            std::string value;
            size_t j = i + 1;
            for (; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\' && j + 1 < s.size()) {
                    char e = s[++j];
                    value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                } else {
                    value += s[j];
                }
            }
            if (j >= s.size())
                fail(source + ": unterminated quoted string");
            tokens.push_back({Token::Kind::string, value});
            i = j + 1;
        } else if (c == '`') {
            size_t j = s.find('`', i + 1);
            if (j == std::string::npos)
                fail(source + ": unterminated raw string");
            tokens.push_back({Token::Kind::string, s.substr(i + 1, j - i - 1)});
            i = j + 1;
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '-' && i + 1 < s.size() &&
                    std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            size_t j = i + 1;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.'))
                ++j;
            tokens.push_back({Token::Kind::number, s.substr(i, j - i)});
            i = j;
        } else if (is_ident(c)) {
            size_t j = i;
            while (j < s.size() && is_ident(s[j]))
                ++j;
            tokens.push_back({Token::Kind::word, s.substr(i, j - i)});
            i = j;
        } else {
            fail(source + ": unsupported syntax at '" + s.substr(i) + "'");
        }
    }
    return tokens;
}

Operand make_operand(const Token& t, const std::string& source) {
    Operand op;
    switch (t.kind) {
    case Token::Kind::field: {
        if (t.text == ".")
            return op;
        op.kind = Operand::Kind::field;
        size_t start = 1;
        while (start <= t.text.size()) {
            size_t dot = t.text.find('.', start);
            std::string name = t.text.substr(start, dot == std::string::npos ? dot : dot - start);
            if (name.empty())
                fail(source + ": bad field path " + t.text);
            op.path.push_back(name);
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
        return op;
    }
    case Token::Kind::string:
        op.kind = Operand::Kind::literal;
        op.literal = t.text;
        return op;
    case Token::Kind::number: {
        op.kind = Operand::Kind::literal;
        const char* end = t.text.data() + t.text.size();
        if (t.text.find('.') != std::string::npos) {
            double v = 0;
            auto [p, ec] = std::from_chars(t.text.data(), end, v);
            if (ec != std::errc() || p != end)
                fail(source + ": bad number " + t.text);
            op.literal = v;
        } else {
            long long v = 0;
            auto [p, ec] = std::from_chars(t.text.data(), end, v);
            if (ec != std::errc() || p != end)
                fail(source + ": bad number " + t.text);
            op.literal = v;
        }
        return op;
    }
    case Token::Kind::word:
        op.kind = Operand::Kind::literal;
        if (t.text == "true" || t.text == "false")
            op.literal = t.text == "true";
        else if (t.text == "nil")
            op.literal = nullptr;
        else
            fail(source + ": function \"" + t.text + "\" used as an argument");
        return op;
    default:
        break;
    }
    fail(source + ": unexpected '" + t.text + "'");
}

bool is_function_name(const Token& t) {
    return t.kind == Token::Kind::word && t.text != "true" && t.text != "false" && t.text != "nil";
}

// Parses `command | command …` from tokens[i]; a nested pipeline ends at its `)`.
Pipeline parse_pipeline(const std::vector<Token>& tokens, size_t& i, const std::string& source,
                        bool nested) {
    Pipeline pipe;
    pipe.source = source;
    for (;;) {
        Command cmd;
        if (i < tokens.size() && is_function_name(tokens[i]))
            cmd.function = tokens[i++].text;
        while (i < tokens.size() && tokens[i].kind != Token::Kind::pipe &&
               tokens[i].kind != Token::Kind::close) {
            if (tokens[i].kind == Token::Kind::open) {
                ++i;
                Operand op;
                op.kind = Operand::Kind::pipeline;
                op.sub = std::make_shared<Pipeline>(parse_pipeline(tokens, i, source, true));
                cmd.args.push_back(std::move(op));
            } else {
                cmd.args.push_back(make_operand(tokens[i++], source));
            }
        }
        if (cmd.function.empty() && cmd.args.empty())
            fail(source + ": missing value");
        if (cmd.function.empty() && cmd.args.size() > 1)
            fail(source + ": can't give argument to non-function");
        pipe.commands.push_back(std::move(cmd));
        if (i < tokens.size() && tokens[i].kind == Token::Kind::pipe) {
            ++i;
            continue;
        }
        break;
    }
    if (nested) {
        if (i >= tokens.size() || tokens[i].kind != Token::Kind::close)
            fail(source + ": unclosed left paren");
        ++i;
    } else if (i < tokens.size()) {
        fail(source + ": unexpected '" + tokens[i].text + "'");
    }
    return pipe;
}

Pipeline parse_action_pipeline(const std::vector<Token>& tokens, size_t first,
                               const std::string& source) {
    size_t i = first;
    return parse_pipeline(tokens, i, source, false);
}

// ---- building the tree ------------------------------------------------------------------------

class Parser {
public:
    explicit Parser(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {}

    std::vector<Node> parse_all() {
        std::vector<Node> nodes;
        std::string stop = parse_list(nodes);
        if (!stop.empty())
            fail("unexpected " + last_source_);
        return nodes;
    }

private:
    // Parses nodes until `end` or `else`; returns that keyword (its tokens stay in rest_), or ""
    // at the end of the template.
    std::string parse_list(std::vector<Node>& out) {
        while (pos_ < pieces_.size()) {
            const Piece& piece = pieces_[pos_++];
            if (!piece.is_action) {
                out.push_back({Node::Kind::text, piece.text});
                continue;
            }
            last_source_ = piece.source;
            std::vector<Token> tokens = tokenize(piece.text, piece.source);
            if (tokens.empty())
                fail(piece.source + ": missing value");
            const Token& head = tokens.front();
            if (head.kind == Token::Kind::word) {
                if (head.text == "end" || head.text == "else") {
                    rest_ = std::move(tokens);
                    return head.text;
                }
                if (head.text == "if" || head.text == "range" || head.text == "with") {
                    out.push_back(parse_block(head.text, tokens, piece.source));
                    continue;
                }
            }
            Node node{Node::Kind::action};
            node.pipe = parse_action_pipeline(tokens, 0, piece.source);
            out.push_back(std::move(node));
        }
        return {};
    }

    Node parse_block(const std::string& keyword, const std::vector<Token>& tokens,
                     const std::string& source) {
        if (tokens.size() < 2)
            fail(source + ": missing value for " + keyword);
        Node node;
        node.kind = keyword == "if"      ? Node::Kind::if_
                    : keyword == "range" ? Node::Kind::range
                                         : Node::Kind::with;
        node.pipe = parse_action_pipeline(tokens, 1, source);
        std::string stop = parse_list(node.body);
        if (stop.empty())
            fail(source + ": missing {{end}}");
        if (stop == "else") {
            std::vector<Token> else_tokens = std::move(rest_);
            if (else_tokens.size() > 1 && else_tokens[1].kind == Token::Kind::word &&
                else_tokens[1].text == "if" && keyword == "if") {
                // `{{else if P}}` is an `if` nested in the else branch that shares the `{{end}}`
                std::vector<Token> nested(else_tokens.begin() + 1, else_tokens.end());
                node.else_body.push_back(parse_block("if", nested, source));
                return node;
            }
            if (else_tokens.size() > 1)
                fail(last_source_ + ": unexpected words after else");
            stop = parse_list(node.else_body);
            if (stop != "end")
                fail(source + ": missing {{end}}");
        }
        if (rest_.size() > 1)
            fail(last_source_ + ": unexpected words after end");
        return node;
    }

    std::vector<Piece> pieces_;
    size_t pos_ = 0;
    std::vector<Token> rest_;
    std::string last_source_;
};

// ---- evaluation -------------------------------------------------------------------------------

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string print_value(const json& v);

std::string print_number(const json& v) {
    if (v.is_number_integer())
        return v.dump();
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e21)
        return std::to_string(static_cast<long long>(d));
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return ec == std::errc() ? std::string(buf, p) : v.dump();
}

// Go's fmt %v, which is what text/template prints.
std::string print_value(const json& v) {
    switch (v.type()) {
    case json::value_t::null:
        return "<nil>";
    case json::value_t::string:
        return v.get<std::string>();
    case json::value_t::boolean:
        return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return print_number(v);
    case json::value_t::array: {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i)
            out += (i ? " " : "") + print_value(v[i]);
        return out + "]";
    }
    case json::value_t::object: {
        std::string out = "map[";
        bool first = true;
        for (const auto& [k, item] : v.items()) {
            out += (first ? "" : " ") + k + ":" + print_value(item);
            first = false;
        }
        return out + "]";
    }
    default:
        return v.dump();
    }
}

bool is_true(const json& v) {
    switch (v.type()) {
    case json::value_t::null:
        return false;
    case json::value_t::boolean:
        return v.get<bool>();
    case json::value_t::string:
    case json::value_t::array:
    case json::value_t::object:
        return !v.empty();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return v.get<double>() != 0;
    default:
        return true;
    }
}

const json& field(const json& obj, const std::string& name, const std::string& where,
                  const std::string& source) {
    if (!obj.is_object())
        fail(source + ": can't evaluate field " + name + " in " + where + ", which is " +
             (obj.is_null() ? "null" : std::string("a ") + obj.type_name()));
    if (auto it = obj.find(name); it != obj.end())
        return *it;
    // Go templates name exported struct fields (`.Host.Kernel`); the JSON keys are camelCase
    const json* match = nullptr;
    std::string want = lower(name);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (lower(it.key()) == want) {
            if (match)
                fail(source + ": field " + name + " is ambiguous in " + where);
            match = &*it;
        }
    }
    if (match)
        return *match;
    std::string known;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        known += (known.empty() ? "" : ", ") + it.key();
    fail(source + ": can't evaluate field " + name + " in " + where +
         (known.empty() ? "" : " (it has: " + known + ")"));
}

void want_args(const std::string& fn, const std::vector<json>& args, size_t n,
               const std::string& source) {
    if (args.size() != n)
        fail(source + ": wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
             std::to_string(args.size()));
}

json call(const std::string& fn, const std::vector<json>& args, const std::string& source) {
    if (fn == "json") {
        want_args(fn, args, 1, source);
        return args[0].dump();
    }
    if (fn == "upper" || fn == "lower" || fn == "title") {
        want_args(fn, args, 1, source);
        std::string s = print_value(args[0]);
        bool word_start = true;
        for (char& c : s) {
            auto u = static_cast<unsigned char>(c);
            if (fn == "upper" || (fn == "title" && word_start))
                c = static_cast<char>(std::toupper(u));
            else if (fn == "lower")
                c = static_cast<char>(std::tolower(u));
            word_start = is_space(c);
        }
        return s;
    }
    if (fn == "join") {
        want_args(fn, args, 2, source);
        if (!args[0].is_array())
            return print_value(args[0]);
        std::string out, sep = print_value(args[1]);
        for (size_t i = 0; i < args[0].size(); ++i)
            out += (i ? sep : "") + print_value(args[0][i]);
        return out;
    }
    if (fn == "split") {
        want_args(fn, args, 2, source);
        std::string s = print_value(args[0]), sep = print_value(args[1]);
        json out = json::array();
        if (sep.empty()) {
            for (char c : s)
                out.push_back(std::string(1, c));
            return out;
        }
        size_t start = 0, at;
        while ((at = s.find(sep, start)) != std::string::npos) {
            out.push_back(s.substr(start, at - start));
            start = at + sep.size();
        }
        out.push_back(s.substr(start));
        return out;
    }
    if (fn == "index") {
        if (args.size() < 2)
            fail(source + ": index needs a value and at least one key");
        json cur = args[0];
        for (size_t i = 1; i < args.size(); ++i) {
            if (cur.is_object() && args[i].is_string()) {
                auto it = cur.find(args[i].get<std::string>());
                // a missing map key is the zero value in Go, not an error
                cur = it == cur.end() ? json("") : *it;
            } else if (cur.is_array() && args[i].is_number_integer()) {
                auto n = args[i].get<long long>();
                if (n < 0 || static_cast<size_t>(n) >= cur.size())
                    fail(source + ": index out of range: " + std::to_string(n));
                cur = cur[static_cast<size_t>(n)];
            } else {
                fail(source + ": can't index " + std::string(cur.type_name()) + " with " +
                     args[i].dump());
            }
        }
        return cur;
    }
    if (fn == "len") {
        want_args(fn, args, 1, source);
        if (args[0].is_string())
            return args[0].get<std::string>().size();
        if (args[0].is_array() || args[0].is_object())
            return args[0].size();
        fail(source + ": len of " + std::string(args[0].type_name()));
    }
    if (fn == "truncate") {
        want_args(fn, args, 2, source);
        if (!args[1].is_number_integer() || args[1].get<long long>() < 0)
            fail(source + ": truncate needs a length");
        std::string s = print_value(args[0]);
        return s.substr(0, static_cast<size_t>(args[1].get<long long>()));
    }
    fail(source + ": function \"" + fn + "\" not defined");
}

class Evaluator {
public:
    explicit Evaluator(std::string& out) : out_(out) {}

    void run(const std::vector<Node>& nodes, const json& dot) {
        for (const Node& n : nodes) {
            switch (n.kind) {
            case Node::Kind::text:
                out_ += n.text;
                break;
            case Node::Kind::action:
                out_ += print_value(eval(n.pipe, dot));
                break;
            case Node::Kind::if_:
                run(is_true(eval(n.pipe, dot)) ? n.body : n.else_body, dot);
                break;
            case Node::Kind::with: {
                json v = eval(n.pipe, dot);
                if (is_true(v))
                    run(n.body, v);
                else
                    run(n.else_body, dot);
                break;
            }
            case Node::Kind::range: {
                json v = eval(n.pipe, dot);
                if (!v.is_null() && !v.is_array() && !v.is_object())
                    fail(n.pipe.source + ": range can't iterate over " + print_value(v));
                if (!is_true(v))
                    run(n.else_body, dot);
                else
                    for (const auto& item : v)
                        run(n.body, item);
                break;
            }
            }
        }
    }

private:
    json operand(const Operand& op, const json& dot, const std::string& source) {
        if (op.kind == Operand::Kind::literal)
            return op.literal;
        if (op.kind == Operand::Kind::pipeline)
            return eval(*op.sub, dot);
        const json* cur = &dot;
        std::string where = ".";
        for (const std::string& name : op.path) {
            cur = &field(*cur, name, where, source);
            where += (where == "." ? "" : ".") + name;
        }
        return *cur;
    }

    json eval(const Pipeline& pipe, const json& dot) {
        std::optional<json> value;
        for (const Command& cmd : pipe.commands) {
            if (cmd.function.empty()) {
                if (value)
                    fail(pipe.source + ": can't give argument to non-function");
                value = operand(cmd.args.front(), dot, pipe.source);
                continue;
            }
            std::vector<json> args;
            for (const Operand& op : cmd.args)
                args.push_back(operand(op, dot, pipe.source));
            if (value)
                args.push_back(std::move(*value));
            value = call(cmd.function, args, pipe.source);
        }
        return value ? std::move(*value) : json();
    }

    std::string& out_;
};

} // namespace

std::string render_template(std::string_view tmpl, const nlohmann::json& data) {
    Parser parser(split_pieces(unescape_format(tmpl)));
    std::vector<Node> nodes = parser.parse_all();
    std::string out;
    Evaluator(out).run(nodes, data);
    return out;
}

} // namespace burrow
