// swift-tools-version:6.2
import PackageDescription

/// Strict Swift 6: every target builds in Swift 6 language mode with complete concurrency checking.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "charterhub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "charterhub", targets: ["charterhub"]),
        .library(name: "CharterCore", targets: ["CharterCore"]),
        .library(name: "CharterStorage", targets: ["CharterStorage"]),
        .library(name: "CharterPKI", targets: ["CharterPKI"]),
        .library(name: "CharterServer", targets: ["CharterServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // The domain: records, field catalog, charter policy and its decisions. No I/O frameworks.
        .target(
            name: "CharterCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Persistence behind the core's `HubStore` interface: SQLite through GRDB.
        .target(
            name: "CharterStorage",
            dependencies: [
                "CharterCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for reading a column's bytes where GRDB would make a value of them.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The hub's certificate authority: development PKI and member certificates.
        .target(
            name: "CharterPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        // The mutual-TLS HTTP API.
        .target(
            name: "CharterServer",
            dependencies: [
                "CharterCore",
                "CharterStorage",
                "CharterPKI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strict
        ),
        // The thin command line over the other targets.
        .executableTarget(
            name: "charterhub",
            dependencies: [
                "CharterCore",
                "CharterStorage",
                "CharterPKI",
                "CharterServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Shared fixtures: an in-code test PKI, temporary databases, a live-server harness.
        .target(
            name: "CharterTestSupport",
            dependencies: [
                "CharterCore",
                "CharterStorage",
                "CharterPKI",
                "CharterServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/CharterTestSupport",
            swiftSettings: strict
        ),
        // End-to-end benchmarks against same-run baselines (Benchmarks/run.sh): the mTLS load generator,
        // nginx and bare-Hummingbird baselines, ingest, history, extraction and the access log.
        .executableTarget(
            name: "charterhub-bench",
            dependencies: [
                "CharterCore", "CharterStorage", "CharterServer", "CharterTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/Sources/charterhub-bench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CharterCoreTests",
            dependencies: ["CharterCore", "CharterTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CharterStorageTests",
            dependencies: ["CharterStorage", "CharterTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CharterPKITests",
            dependencies: [
                "CharterPKI", "CharterTestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CharterServerTests",
            dependencies: [
                "CharterServer", "CharterTestSupport", "CharterStorage", "CharterPKI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ]
)
