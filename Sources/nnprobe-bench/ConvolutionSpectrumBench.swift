import Foundation
import NNAnalysis
import NNLinalg

/// The full operator spectrum (65,536 values) of a 64 → 64 3×3 conv layer on a 32×32 input, in
/// process, on one core: best of 3 (after a warm-up), wall and CPU time, plus the wall time on all
/// cores for reference.
/// The kernel comes from the 32-bit LCG the numpy peer (bench/peer_numpy.py) and the fixture
/// script use, so both sides decompose the same layer; `check` is the largest value.
func benchConvolutionSpectrum(round: Int) {
    var x: UInt32 = 2026
    let weights = (0..<(64 * 64 * 3 * 3)).map { _ -> Double in
        x = x &* 1664525 &+ 1013904223
        return Double(x >> 8) / 16_777_216 - 0.5
    }
    let kernel = ConvolutionKernel(outChannels: 64, inChannels: 64, height: 3, width: 3, weights: weights)
    let layout = ConvolutionLayout(inputHeight: 32, inputWidth: 32, padding: .circular)
    func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    /// Best wall time and best CPU time (the latter steadier on a shared machine) of 3 runs after a warm-up.
    func best(parallel: Bool) -> (seconds: Double, cpu: Double, top: Double) {
        var best = Double.infinity, cpu = Double.infinity, top = 0.0
        for _ in 0..<4 {
            let clock = ContinuousClock()
            var spectrum: ConvolutionSpectrum?
            let startCPU = cpuSeconds()
            let elapsed = clock.measure { spectrum = try? ConvolutionSpectrum(kernel: kernel, layout: layout, parallel: parallel) }
            cpu = min(cpu, cpuSeconds() - startCPU)
            guard let spectrum, spectrum.singularValues.count == 65_536 else { fail("conv-spectrum: the computation failed") }
            top = spectrum.singularValues[0]
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return (best, cpu, top)
    }
    let one = best(parallel: false), all = best(parallel: true)
    print(#"{"bench": "conv-spectrum", "net": "conv-spectrum", "impl": "nnprobe", "round": \#(round), "seconds": \#(one.seconds), "cpu_seconds": \#(one.cpu), "all_cores_seconds": \#(all.seconds), "peak_mib": \#(peakMemoryMiB()), "check": \#(one.top)}"#)
}
