// swift-tools-version:6.0
// nnprobe — interpretability toolkit for small and medium neural networks.
//
// Layers, bottom to top:
//   CHDF5, CLapack, CZlib,    C shims (module maps + static inline accessors)
//   CDNNL                     (oneDNN: convolutions of Float batches)
//   CCPUFeatures              (CPUID: whether the CPU runs AVX2/FMA code)
//   NNSmallProducts           products of small Float matrices with AVX2/FMA, and the element-wise
//                             work of small nets' training passes (compiled for Haswell, called
//                             only where the CPU has it)
//   NNLinalg                  Matrix, GEMM, SVD, symmetric eigendecomposition; C += A·B (small
//                             Float shapes through NNSmallProducts, the rest through BLAS)
//   NNModel                   every model as blocks of layers (MLP, CNN, ResNet families), the one
//                             forward/backward engine (oneDNN convolutions for Float), RNG — no I/O
//   NNTasks                   task registry: synthetic generators, IDX/CIFAR/CSV readers (gzip via CZlib),
//                             seeded splits, per-channel normalisation, image augmentation
//   NNTrain                   optimisers, schedules, the training loop — no HDF5
//   NNAnalysis                spectra, PCA, principal angles, read-out geometry, representation
//                             similarity (CKA, Procrustes, SVCCA), logistic and ridge probes
//                             (L-BFGS) — pure computation
//   NNRegions                 exact linear regions of ReLU nets on 2-D slices and segments, bounds
//   CXGBoost                  C shim for XGBoost's C API (Debian's libxgboost-dev)
//   NNBaselines               baselines beside the nets: gradient-boosted trees (XGBoost, seeded),
//                             a safe owner of its handles over CXGBoost
//   NNPlot                    SVG charts: scales and ticks, palette, lines/points/bars/polygons
//   NNCheckpoint              the only importer of CHDF5: HDF5 wrapper, checkpoint + dump schema
//   NNModelAnalyses           model-aware analyses on loaded checkpoints, dumps and tasks (PCA of
//                             activations, dumps, gradient flow, norms, spectra, linear regions,
//                             per-layer linear probes and their baselines, causal unit tests:
//                             ablation and activation patching)
//   nnprobe                   the executable: one file per subcommand, options → library call → print
import PackageDescription

/// For the numeric targets: `Float.squareRoot()` reaches C's `__builtin_sqrtf`, which Clang
/// compiles as `sqrtss` plus a call to libm for `errno` on negative input — one lane at a time.
/// Without `errno` (which nothing reads) SIMD square roots become `sqrtps`: same results, bit for bit.
///
/// Release builds skip the run-time exclusivity checks (debug builds, which run the tests, keep
/// them): each pass of a small net borrows the network's buffers a few dozen times, and the checks
/// cost about 1 % of a sweep of 4-16-2 nets.
let numerics: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"]),
                                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// NNSmallProducts is compiled for Haswell-class x86-64 CPUs (AVX2, FMA, BMI), and optimised in
/// debug builds too (unoptimised SIMD code is a hundred times slower): its code runs only where
/// CPUID says the CPU runs it (NNLinalg's `addProduct` checks; elsewhere BLAS does the product).
#if arch(x86_64)
let smallProducts: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-O"])]
#else
let smallProducts: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
    name: "nnprobe",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnprobe", targets: ["nnprobe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(
            name: "CLapack", path: "Sources/CLapack",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CXGBoost", path: "Sources/CXGBoost", providers: [.apt(["libxgboost-dev"])]),
        .systemLibrary(name: "CCPUFeatures", path: "Sources/CCPUFeatures"),
        .target(name: "NNSmallProducts", swiftSettings: smallProducts),
        .target(name: "NNLinalg", dependencies: ["CLapack", "CCPUFeatures", "NNSmallProducts"], swiftSettings: numerics),
        .target(name: "NNModel", dependencies: ["NNLinalg", "NNSmallProducts", "CDNNL"], swiftSettings: numerics),
        .target(name: "NNTasks", dependencies: ["NNModel", "CZlib"]),
        .target(name: "NNTrain", dependencies: ["NNLinalg", "NNModel", "NNTasks"], swiftSettings: numerics),
        .target(name: "NNAnalysis", dependencies: ["NNLinalg"], swiftSettings: numerics),
        .target(name: "NNRegions", dependencies: ["NNModel"], swiftSettings: numerics),
        .target(name: "NNBaselines", dependencies: ["CXGBoost", "NNLinalg", "NNAnalysis"]),
        .target(name: "NNPlot"),
        .target(name: "NNCheckpoint", dependencies: ["CHDF5", "NNModel"]),
        .target(
            name: "NNModelAnalyses",
            dependencies: ["NNCheckpoint", "NNModel", "NNLinalg", "NNTasks", "NNTrain", "NNAnalysis", "NNRegions", "NNBaselines"]),
        .executableTarget(
            name: "nnprobe",
            dependencies: [
                "NNCheckpoint", "NNModel", "NNLinalg", "NNTasks", "NNTrain", "NNAnalysis", "NNRegions", "NNPlot",
                "NNBaselines", "NNModelAnalyses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "nnprobe-bench", dependencies: ["NNLinalg", "NNModel", "NNTasks", "NNTrain", "NNAnalysis"]),
        .testTarget(name: "NNLinalgTests", dependencies: ["NNLinalg", "NNSmallProducts"]),
        .testTarget(name: "NNModelTests", dependencies: ["NNModel", "NNLinalg", "NNSmallProducts"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "NNAnalysisTests", dependencies: ["NNAnalysis", "NNLinalg"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNRegionsTests", dependencies: ["NNRegions", "NNModel", "NNLinalg"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNPlotTests", dependencies: ["NNPlot"]),
        .testTarget(name: "NNBaselinesTests", dependencies: ["NNBaselines", "NNLinalg"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNTasksTests", dependencies: ["NNTasks", "NNModel"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NNTrainTests", dependencies: ["NNTrain", "NNTasks", "NNModel"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "NNCheckpointTests", dependencies: ["NNCheckpoint"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "NNModelAnalysesTests",
            dependencies: ["NNModelAnalyses", "NNCheckpoint", "NNModel", "NNLinalg", "NNTasks", "NNTrain", "NNAnalysis"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "nnprobeTests", dependencies: ["nnprobe", "NNCheckpoint", "NNModel", "NNTasks", "NNTrain"]),
    ]
)
