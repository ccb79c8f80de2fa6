// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "dealreg",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dealreg", targets: ["dealreg"]),
        .library(name: "DealregKit", targets: ["DealregKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The reference CSV parser our byte-level reader is tested and measured against.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // The PostgreSQL ledger backend (issue 17).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // System ICU 72 behind a plain-C header (see Sources/CICU/include/dealreg_icu.h).
        .target(name: "CICU",
                linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),
        .target(name: "DealregCSV", dependencies: ["CICU"], swiftSettings: hotPath),
        .target(name: "DealregIdentity", dependencies: ["CICU"], swiftSettings: hotPath),
        .target(name: "DealregPolicy", dependencies: ["DealregIdentity", .product(name: "Yams", package: "Yams")]),
        .target(name: "DealregReport", dependencies: ["DealregCSV", "DealregPolicy"]),
        // The rules of POLICY.md decided from values (a claim, the reference set, the policy): no files, no ledger.
        .target(name: "DealregRules", dependencies: ["DealregIdentity", "DealregPolicy"]),
        // The templates are compiled in (EmbeddedTemplates.swift, scripts/embed-templates.py): no resource bundle.
        .target(name: "DealregMail", dependencies: [.product(name: "Mustache", package: "swift-mustache")],
                exclude: ["Templates"]),
        .target(name: "DealregLedger", dependencies: [
            "DealregPolicy", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .target(name: "DealregKit", dependencies: [
            "DealregCSV", "DealregIdentity", "DealregPolicy", "DealregRules", "DealregReport", "DealregLedger", "DealregMail",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "dealreg", dependencies: [
            "DealregKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Measures CSV read throughput against the reference parser (scripts/, BENCHMARKS.md).
        .executableTarget(name: "csv-bench", dependencies: [
            "DealregCSV", .product(name: "CSV", package: "CSV.swift"),
        ]),
        // Shared by the test targets only.
        .target(name: "DealregTestSupport"),
        .testTarget(name: "DealregCSVTests", dependencies: [
            "DealregCSV", "DealregTestSupport", .product(name: "CSV", package: "CSV.swift"),
        ]),
        .testTarget(name: "DealregIdentityTests", dependencies: ["DealregIdentity", "DealregTestSupport"]),
        .testTarget(name: "DealregPolicyTests", dependencies: ["DealregPolicy", "DealregIdentity"]),
        .testTarget(name: "DealregRulesTests", dependencies: ["DealregRules", "DealregPolicy", "DealregIdentity"]),
        .testTarget(name: "DealregLedgerTests", dependencies: [
            "DealregLedger", "DealregTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "DealregKitTests", dependencies: ["DealregKit", "DealregTestSupport"]),
        .testTarget(name: "dealregTests", dependencies: ["dealreg", "DealregKit", "DealregTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

/// The byte-level CSV reader and the matcher run per byte and per candidate: dynamic
/// exclusivity checks there cost half the CSV reader's time (perf, BENCHMARKS.md).
/// Static checks still apply; tests run with the same settings.
var hotPath: [SwiftSetting] { [.unsafeFlags(["-enforce-exclusivity=unchecked"])] }
