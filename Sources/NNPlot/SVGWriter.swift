import Foundation

/// Accumulates SVG elements as text. Coordinates are written with two decimals, and shapes of
/// one style are meant to share one `<path>` (many subpaths), which keeps large figures small.
public struct SVGWriter {
    private(set) var body: [String] = []

    public init() {}

    /// A number with at most two decimals, no trailing zeros.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%g", rounded)
    }

    /// XML-escaped text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public mutating func raw(_ element: String) { body.append(element) }

    public mutating func path(_ d: String, stroke: String = "none", fill: String = "none", width: Double = 1,
                              opacity: Double = 1, dashed: Bool = false, extra: String = "") {
        guard !d.isEmpty else { return }
        var attributes = "d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke)\""
        if stroke != "none" { attributes += " stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" }
        if opacity < 1 { attributes += " opacity=\"\(Self.n(opacity))\"" }
        if dashed { attributes += " stroke-dasharray=\"5 3\"" }
        body.append("<path \(attributes)\(extra)/>")
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String = "none", opacity: Double = 1) {
        body.append("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"\(fill)\" stroke=\"\(stroke)\""
                    + (opacity < 1 ? " opacity=\"\(Self.n(opacity))\"" : "") + "/>")
    }

    public mutating func text(_ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "middle",
                              weight: String = "normal", rotate: Double = 0, color: String = "#222") {
        let transform = rotate == 0 ? "" : " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\""
        body.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(color)\"\(transform)>\(Self.escape(s))</text>")
    }

    /// The complete document, `width × height` pixels.
    public func document(width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.n(width))" height="\(Self.n(height))" viewBox="0 0 \(Self.n(width)) \(Self.n(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }
}
