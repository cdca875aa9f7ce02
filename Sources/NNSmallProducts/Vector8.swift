/// Eight floats: one AVX register.
typealias Vector8 = SIMD8<Float>

extension UnsafePointer<Float> {
    /// The eight values from here on (no alignment needed).
    @inline(__always) func vector() -> Vector8 { UnsafeRawPointer(self).loadUnaligned(as: Vector8.self) }
}

extension UnsafeMutablePointer<Float> {
    /// The eight values from here on (no alignment needed).
    @inline(__always) func vector() -> Vector8 { UnsafePointer(self).vector() }

    /// Writes `v` over the eight values from here on (no alignment needed).
    @inline(__always) func store(_ v: Vector8) { UnsafeMutableRawPointer(self).storeBytes(of: v, as: Vector8.self) }
}
