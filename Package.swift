// swift-tools-version:6.0
import PackageDescription

// Layers depend one way only:
//   TuanDomain, TuanHTTP  (pure / general)
//   TuanStore -> TuanDomain, CSQLite
//   TuanDelivery -> TuanStore, TuanDomain, CCurl
//   TuanForecast -> TuanDomain (pure math, no I/O)
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
        // Header-only: Glibc's Swift module does not export epoll/eventfd; nothing is linked.
        .systemLibrary(name: "CEpoll"),

        .target(name: "TuanDomain", swiftSettings: strict),
        .target(name: "TuanStore", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "TuanSQLite", dependencies: ["TuanDomain", "TuanStore"], swiftSettings: strict),
        .target(name: "TuanHTTP", dependencies: ["CEpoll"], swiftSettings: strict),
        .target(name: "TuanDelivery", dependencies: ["TuanDomain", "TuanStore", "TuanSQLite", "CCurl"], swiftSettings: strict),
        .target(name: "TuanForecast", dependencies: ["TuanDomain"], swiftSettings: strict),
        .target(
            name: "TuanService",
            dependencies: ["TuanDomain", "TuanStore", "TuanSQLite", "TuanHTTP", "TuanDelivery", "TuanForecast"],
            swiftSettings: strict
        ),
        .executableTarget(name: "tuan", dependencies: ["TuanService"], swiftSettings: strict),

        .testTarget(name: "TuanDomainTests", dependencies: ["TuanDomain"], swiftSettings: strict),
        .testTarget(name: "TuanStoreTests", dependencies: ["TuanStore", "TuanSQLite", "TuanDomain"], swiftSettings: strict),
        .testTarget(name: "TuanHTTPTests", dependencies: ["TuanHTTP"], swiftSettings: strict),
        .testTarget(name: "TuanDeliveryTests", dependencies: ["TuanDelivery", "TuanStore", "TuanSQLite", "TuanDomain"], swiftSettings: strict),
        .testTarget(name: "TuanForecastTests", dependencies: ["TuanForecast", "TuanDomain"], swiftSettings: strict),
        .testTarget(name: "TuanServiceTests", dependencies: ["TuanService", "TuanDelivery", "TuanHTTP", "TuanStore", "TuanSQLite", "TuanDomain"],
                    swiftSettings: strict),
    ]
)
