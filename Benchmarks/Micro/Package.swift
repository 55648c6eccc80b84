// swift-tools-version:6.1
import Foundation
import PackageDescription

/// A path dependency is known by its folder's name, which is the clone's name (`charterhub`, `main`, …).
let hub = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Micro-benchmarks of the charter's hot paths with ordo-one/benchmark, in their own package so that
// the hub's build and CI stay lean. Run with `Benchmarks/run.sh` or, here, `swift package benchmark`.
let package = Package(
    name: "charterhub-micro",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CharterMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CharterCore", package: hub),
            ],
            path: "Benchmarks/CharterMicro",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
