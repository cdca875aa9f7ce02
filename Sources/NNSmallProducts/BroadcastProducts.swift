/// c[r, :] += Σₜ a[r, t] · b[t, :] for every row r: a is rows × inner, b is inner × width, c is
/// rows × width, all row-major and contiguous; width is 8, 16, 24 or 32.
///
/// Each value of c is its old value plus the products in order of t, each added fused (one
/// rounding), whatever the rows around it: a row's result does not depend on the batch it is in.
/// Widths 8 and 16 take four and two rows at a time (four chains of additions in flight).
/// `fromZero`: c's old values are taken as +0 without reading them (c's memory need not be set).
@inline(__always)
func addBroadcastProducts(_ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                          rows: Int, inner: Int, width: Int, fromZero: Bool = false) {
    /// The eight values of c from `p` on, as the sums start from them.
    @inline(__always) func start(_ p: UnsafeMutablePointer<Float>) -> Vector8 { fromZero ? Vector8() : p.vector() }
    var r = 0
    switch width {
    case 8:
        while r + 4 <= rows {
            let out = c + r * 8, x = a + r * inner
            var c0 = start(out), c1 = start(out + 8), c2 = start(out + 16), c3 = start(out + 24)
            for t in 0..<inner {
                let bt = (b + t * 8).vector()
                c0 = c0.addingProduct(Vector8(repeating: x[t]), bt)
                c1 = c1.addingProduct(Vector8(repeating: x[inner + t]), bt)
                c2 = c2.addingProduct(Vector8(repeating: x[2 * inner + t]), bt)
                c3 = c3.addingProduct(Vector8(repeating: x[3 * inner + t]), bt)
            }
            out.store(c0); (out + 8).store(c1); (out + 16).store(c2); (out + 24).store(c3)
            r += 4
        }
    case 16:
        while r + 2 <= rows {
            let out = c + r * 16, x = a + r * inner
            var c0 = start(out), c1 = start(out + 8), c2 = start(out + 16), c3 = start(out + 24)
            for t in 0..<inner {
                let b0 = (b + t * 16).vector(), b1 = (b + t * 16 + 8).vector()
                let x0 = Vector8(repeating: x[t]), x1 = Vector8(repeating: x[inner + t])
                c0 = c0.addingProduct(x0, b0); c1 = c1.addingProduct(x0, b1)
                c2 = c2.addingProduct(x1, b0); c3 = c3.addingProduct(x1, b1)
            }
            out.store(c0); (out + 8).store(c1); (out + 16).store(c2); (out + 24).store(c3)
            r += 2
        }
    default:
        break
    }
    while r < rows {   // the rows left over, and every row of widths 24 and 32: one vector at a time
        let x = a + r * inner
        for v in stride(from: 0, to: width, by: 8) {
            let out = c + r * width + v
            var acc = start(out)
            for t in 0..<inner { acc = acc.addingProduct(Vector8(repeating: x[t]), (b + t * width + v).vector()) }
            out.store(acc)
        }
        r += 1
    }
}
