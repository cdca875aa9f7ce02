import Foundation

/// What an SVG written by `Figure.svg()` draws, read back from its text: for each panel, the
/// data drawn (`<g class="data">`: line pieces and dot circles, in pixels) and the legend box
/// (`<g class="legend">`, its first `<rect>`), to check that legends hide nothing. Independent of
/// NNPlot's own layout code: segments are tested by sampling points every half pixel.
struct SVGGeometry {
    struct Panel {
        var segments: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var circles: [(x: Double, y: Double, r: Double)] = []
        /// Outlined filled shapes (bars), as bounding boxes; unoutlined fills (region polygons) are background.
        var areas: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var legend: (x: Double, y: Double, w: Double, h: Double)?
    }

    private(set) var panels: [Panel] = []

    init(_ svg: String) {
        var current: Panel?
        var inData = false, inLegend = false
        for line in svg.split(separator: "\n").map(String.init) {
            if line.hasPrefix("<g class=\"data\"") {
                if let current { panels.append(current) }
                current = Panel()
                inData = true
            } else if line.hasPrefix("<g class=\"legend\"") {
                inLegend = true
            } else if line == "</g>" {
                inData = false
                inLegend = false
            } else if inData, let d = Self.attribute("d", of: line) {
                let (segments, circles, closed) = Self.geometry(of: d)
                current?.segments += segments
                current?.circles += circles
                if Self.attribute("fill", of: line) != "none", Self.attribute("stroke", of: line) != "none" { current?.areas += closed }
            } else if inLegend, current?.legend == nil, line.hasPrefix("<rect") {
                let number = { (name: String) in Double(Self.attribute(name, of: line) ?? "") ?? .nan }
                current?.legend = (number("x"), number("y"), number("width"), number("height"))
            }
        }
        if let current { panels.append(current) }
    }

    static func attribute(_ name: String, of element: String) -> String? {
        guard let range = element.range(of: " \(name)=\"") else { return nil }
        let rest = element[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Line pieces and circles of a path's `d` (the commands NNPlot writes: M L H V Z, and `a` for dots).
    static func geometry(of d: String) -> ([(Double, Double, Double, Double)], [(Double, Double, Double)], [(Double, Double, Double, Double)]) {
        var tokens: [String] = []
        var number = ""
        for c in d {
            if c.isLetter && c != "e" {
                if !number.isEmpty { tokens.append(number); number = "" }
                tokens.append(String(c))
            } else if c == " " || c == "," {
                if !number.isEmpty { tokens.append(number); number = "" }
            } else if c == "-" && !number.isEmpty && number.last != "e" {
                tokens.append(number); number = "-"
            } else {
                number.append(c)
            }
        }
        if !number.isEmpty { tokens.append(number) }
        var segments: [(Double, Double, Double, Double)] = [], circles: [(Double, Double, Double)] = []
        var closed: [(Double, Double, Double, Double)] = []
        var x = 0.0, y = 0.0, start = (0.0, 0.0), i = 0, subpathStart = 0
        func next() -> Double { i += 1; return Double(tokens[i - 1]) ?? .nan }
        while i < tokens.count {
            let command = tokens[i]
            i += 1
            switch command {
            case "M": x = next(); y = next(); start = (x, y); subpathStart = segments.count
            case "L": let (a, b) = (next(), next()); segments.append((x, y, a, b)); (x, y) = (a, b)
            case "H": let a = next(); segments.append((x, y, a, y)); x = a
            case "V": let b = next(); segments.append((x, y, x, b)); y = b
            case "h": let a = x + next(); segments.append((x, y, a, y)); x = a
            case "v": let b = y + next(); segments.append((x, y, x, b)); y = b
            case "Z":
                segments.append((x, y, start.0, start.1)); (x, y) = start
                let xs = segments[subpathStart...].flatMap { [$0.0, $0.2] }, ys = segments[subpathStart...].flatMap { [$0.1, $0.3] }
                closed.append((xs.min()!, ys.min()!, xs.max()!, ys.max()!))
            case "a":
                let r = next(); _ = next(); _ = next(); _ = next(); _ = next()
                let dx = next(), dy = next()
                if dx > 0 { circles.append((x + dx / 2, y + dy / 2, r)) }
                x += dx; y += dy
            default: return (segments, circles, closed)   // a command this reader does not know: stop
            }
        }
        return (segments, circles, closed)
    }
}

extension SVGGeometry.Panel {
    /// Drawn things inside the legend box: sampled points of line pieces, and circles reaching into it.
    var hiddenByLegend: [String] {
        guard let b = legend else { return [] }
        func inside(_ x: Double, _ y: Double, pad: Double = 0) -> Bool {
            x >= b.x - pad && x <= b.x + b.w + pad && y >= b.y - pad && y <= b.y + b.h + pad
        }
        var hidden: [String] = []
        for s in segments {
            let steps = max(1, Int((hypot(s.x1 - s.x0, s.y1 - s.y0) * 2).rounded(.up)))
            if (0...steps).contains(where: { k in
                let t = Double(k) / Double(steps)
                return inside(s.x0 + t * (s.x1 - s.x0), s.y0 + t * (s.y1 - s.y0))
            }) { hidden.append("segment \(s)") }
        }
        for c in circles where inside(c.x, c.y, pad: c.r) { hidden.append("dot \(c)") }
        for a in areas where a.x0 <= b.x + b.w && a.x1 >= b.x && a.y0 <= b.y + b.h && a.y1 >= b.y { hidden.append("bar \(a)") }
        return hidden
    }
}
