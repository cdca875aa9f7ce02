/// A self-contained HTML page: sections of tables, text and inline SVG figures.
struct HTMLPage {
    let title: String
    private var sections: [String] = []

    init(title: String) { self.title = title }

    mutating func section(_ heading: String, _ body: String) {
        sections.append("<section><h2>\(Self.escape(heading))</h2>\n\(body)\n</section>")
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A table; the columns in `numeric` (0-based) are right-aligned, in figures of one width.
    static func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        func cell(_ tag: String, _ column: Int, _ text: String) -> String {
            "<\(tag)\(numeric.contains(column) ? " class=\"num\"" : "")>\(escape(text))</\(tag)>"
        }
        return "<table><thead><tr>" + headers.enumerated().map { cell("th", $0, $1) }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.enumerated().map { cell("td", $0, $1) }.joined() + "</tr>" }.joined(separator: "\n") + "</tbody></table>"
    }

    func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title)) — nnprobe report</title>
        <style>
        body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1400px; color: #222; padding: 0 1em; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
        table { border-collapse: collapse; font-size: .9em; } td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
        th { background: #f4f4f4; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } pre { background: #f7f7f7; padding: .8em; font-size: .85em; overflow-x: auto; }
        svg { max-width: 100%; height: auto; }
        </style></head><body>
        <h1>\(Self.escape(title))</h1>
        \(sections.joined(separator: "\n"))
        <p style="color:#888;font-size:.8em">Written by nnprobe.</p>
        </body></html>

        """
    }
}
