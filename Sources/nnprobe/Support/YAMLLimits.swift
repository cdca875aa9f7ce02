/// Limits checked before a YAML file reaches the parser, which recurses once per level of
/// nesting and would overflow the stack on a hostile file (5,000 nested `[`).
enum YAMLLimits {
    static let maxBytes = 1 << 20
    static let maxDepth = 64

    /// Why `text` is not a settings file nnprobe parses; nil when it may be parsed.
    static func problem(in text: String) -> String? {
        if text.utf8.count > maxBytes { return "larger than 1 MB; not a settings file" }
        var depth = 0, deepest = 0, quote: Character?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " || $0 == "-" }.count
            deepest = max(deepest, depth + indent / 2)
            for c in line {
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "#" {
                    break
                } else if c == "[" || c == "{" {
                    depth += 1
                    deepest = max(deepest, depth + indent / 2)
                } else if c == "]" || c == "}" {
                    depth = max(0, depth - 1)
                }
            }
            quote = nil
        }
        return deepest > maxDepth ? "nested more than \(maxDepth) levels deep" : nil
    }
}
