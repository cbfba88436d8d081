// swift-tools-version:6.0
import PackageDescription

// Layers depend one way only:
//   TuanDomain, TuanHTTP  (pure / general)
//   TuanStore -> CSQLite  (generic SQLite: connection, writer, readers; no domain)
//   TuanApp -> TuanDomain  (use cases and their transactions, over repository protocols)
//   TuanSQLite -> TuanApp, TuanDomain, TuanStore  (the schema and the SQLite repositories)
//   TuanPostgres -> CPostgres  (generic PostgreSQL through libpq: connection, no domain; issue 25's engine builds on it)
//   TuanDelivery -> TuanApp, TuanDomain, CCurl
//   TuanForecast -> TuanDomain (pure math, no I/O)
//   TuanQR (pure: QR Code symbols and their SVG)
//   TuanService -> everything above; tuan -> TuanService
// No package dependencies: only the toolchain and system C libraries.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Tuan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tuan", targets: ["tuan"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Header-only: Glibc's Swift module does not export epoll/eventfd; nothing is linked.
        .systemLibrary(name: "CEpoll"),

        .target(name: "TuanDomain", swiftSettings: strict),
        .target(name: "TuanStore", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "TuanApp", dependencies: ["TuanDomain"], swiftSettings: strict),
        .target(name: "TuanSQLite", dependencies: ["TuanDomain", "TuanApp", "TuanStore"], swiftSettings: strict),
        .target(name: "TuanPostgres", dependencies: ["CPostgres"], swiftSettings: strict),
        .target(name: "TuanHTTP", dependencies: ["CEpoll"], swiftSettings: strict),
        .target(name: "TuanDelivery", dependencies: ["TuanDomain", "TuanApp", "TuanStore", "CCurl"], swiftSettings: strict),
        .target(name: "TuanForecast", dependencies: ["TuanDomain"], swiftSettings: strict),
        .target(name: "TuanQR", swiftSettings: strict),
        .target(
            name: "TuanService",
            dependencies: ["TuanDomain", "TuanApp", "TuanStore", "TuanSQLite", "TuanHTTP", "TuanDelivery", "TuanForecast", "TuanQR"],
            swiftSettings: strict
        ),
        .executableTarget(name: "tuan", dependencies: ["TuanService"], swiftSettings: strict),

        // The one test-support module: a store fixture, a seed builder, a loopback client, off-pool runs.
        .target(name: "TuanTesting", dependencies: ["TuanApp", "TuanDomain", "TuanSQLite", "TuanStore"], path: "Tests/TuanTesting",
                swiftSettings: strict),

        .testTarget(name: "TuanDomainTests", dependencies: ["TuanDomain"], swiftSettings: strict),
        .testTarget(name: "TuanStoreTests", dependencies: ["TuanStore", "TuanSQLite", "TuanApp", "TuanDomain", "TuanTesting"], swiftSettings: strict),
        .testTarget(name: "TuanHTTPTests", dependencies: ["TuanHTTP", "TuanTesting"], swiftSettings: strict),
        .testTarget(name: "TuanDeliveryTests", dependencies: ["TuanDelivery", "TuanApp", "TuanStore", "TuanSQLite", "TuanDomain", "TuanTesting"], swiftSettings: strict),
        .testTarget(name: "TuanQRTests", dependencies: ["TuanQR"], swiftSettings: strict),
        .testTarget(name: "TuanPostgresTests", dependencies: ["TuanPostgres"], swiftSettings: strict),
        .testTarget(name: "TuanForecastTests", dependencies: ["TuanForecast", "TuanDomain", "TuanTesting"], swiftSettings: strict),
        .testTarget(name: "TuanServiceTests", dependencies: ["TuanService", "TuanApp", "TuanDelivery", "TuanHTTP", "TuanStore", "TuanSQLite", "TuanDomain", "TuanTesting"],
                    swiftSettings: strict),
    ]
)
