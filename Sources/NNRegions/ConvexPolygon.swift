/// A convex polygon in the plane, vertices counter-clockwise.
public struct ConvexPolygon: Sendable {
    public var u: [Double]
    public var v: [Double]

    public init(u: [Double], v: [Double]) {
        self.u = u
        self.v = v
    }

    /// The axis-aligned box [u0, u1] × [v0, v1].
    public static func box(_ u0: Double, _ u1: Double, _ v0: Double, _ v1: Double) -> ConvexPolygon {
        ConvexPolygon(u: [u0, u1, u1, u0], v: [v0, v0, v1, v1])
    }

    public var count: Int { u.count }

    /// Area by the shoelace formula.
    public var area: Double {
        var twice = 0.0
        for i in 0..<count {
            let j = i + 1 == count ? 0 : i + 1
            twice += u[i] * v[j] - u[j] * v[i]
        }
        return abs(twice) / 2
    }

    /// The vertex average: an interior point of a non-degenerate convex polygon.
    public var interiorPoint: (u: Double, v: Double) {
        (u.reduce(0, +) / Double(max(1, count)), v.reduce(0, +) / Double(max(1, count)))
    }

    /// Splits by the line a·u + b·v + c = 0 into the parts where the expression is > 0 and ≤ 0.
    ///
    /// Vertices within `tolerance` of the line (in the expression's units) count as on it and
    /// belong to both parts, so a line through a vertex or along an edge never makes slivers.
    /// Returns nil for a side the polygon does not reach.
    public func split(a: Double, b: Double, c: Double, tolerance: Double) -> (positive: ConvexPolygon?, negative: ConvexPolygon?) {
        var values = [Double](repeating: 0, count: count)
        var anyPositive = false, anyNegative = false
        for i in 0..<count {
            var f = a * u[i] + b * v[i] + c
            if abs(f) <= tolerance { f = 0 }
            values[i] = f
            if f > 0 { anyPositive = true } else if f < 0 { anyNegative = true }
        }
        if !anyNegative { return (anyPositive ? self : nil, anyPositive ? nil : self) }
        if !anyPositive { return (nil, self) }
        var pu: [Double] = [], pv: [Double] = [], nu: [Double] = [], nv: [Double] = []
        pu.reserveCapacity(count + 2); pv.reserveCapacity(count + 2); nu.reserveCapacity(count + 2); nv.reserveCapacity(count + 2)
        for i in 0..<count {
            let j = i + 1 == count ? 0 : i + 1
            let fi = values[i], fj = values[j]
            if fi >= 0 { pu.append(u[i]); pv.append(v[i]) }
            if fi <= 0 { nu.append(u[i]); nv.append(v[i]) }
            if (fi > 0 && fj < 0) || (fi < 0 && fj > 0) {
                let t = fi / (fi - fj)
                let iu = u[i] + t * (u[j] - u[i]), iv = v[i] + t * (v[j] - v[i])
                pu.append(iu); pv.append(iv); nu.append(iu); nv.append(iv)
            }
        }
        return (ConvexPolygon(u: pu, v: pv), ConvexPolygon(u: nu, v: nv))
    }
}
