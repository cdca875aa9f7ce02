/// A 2-D slice of the input space: x(u, v) = origin + u·first + v·second, over a box in (u, v).
public struct PlaneSlice: Sendable {
    public let origin: [Double]
    public let first: [Double]
    public let second: [Double]
    /// [u0, u1, v0, v1].
    public let box: [Double]

    public init(origin: [Double], first: [Double], second: [Double], box: [Double]) {
        self.origin = origin
        self.first = first
        self.second = second
        self.box = box
    }

    /// The plane of input dimensions `i` and `j` through `point` (u, v are x_i, x_j themselves).
    public static func axes(_ i: Int, _ j: Int, through point: [Double], box: [Double]) -> PlaneSlice {
        var origin = point, e1 = [Double](repeating: 0, count: point.count), e2 = e1
        origin[i] = 0
        origin[j] = 0
        e1[i] = 1
        e2[j] = 1
        return PlaneSlice(origin: origin, first: e1, second: e2, box: box)
    }

    /// The plane through three points: x = p0 + u (p1 − p0) + v (p2 − p0).
    public static func through(_ p0: [Double], _ p1: [Double], _ p2: [Double], box: [Double]) -> PlaneSlice {
        PlaneSlice(origin: p0, first: zip(p1, p0).map { $0 - $1 }, second: zip(p2, p0).map { $0 - $1 }, box: box)
    }

    /// The input at (u, v).
    public func point(_ u: Double, _ v: Double) -> [Double] {
        (0..<origin.count).map { origin[$0] + u * first[$0] + v * second[$0] }
    }

    public var boxArea: Double { (box[1] - box[0]) * (box[3] - box[2]) }
}
