// swift-tools-version: 6.2
import PackageDescription

// Our own targets share one set of settings (Swift 6 language mode, upcoming features).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "datastream-delta",
    products: [
        .executable(name: "datastream-delta", targets: ["DatastreamDeltaCLI"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "Columnar", targets: ["Columnar"]),
        .library(name: "CompressionCodecs", targets: ["CompressionCodecs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries from Debian through system-library shims.
        .systemLibrary(name: "CCodecZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCodecZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCodecSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),

        // Layer 1: codecs and byte-level kernels (synchronous, no I/O).
        .target(
            name: "CompressionCodecs",
            dependencies: ["CCodecZlib", "CCodecZstd", "CCodecSnappy"],
            swiftSettings: swiftSettings
        ),
        .target(name: "BinaryCoding", swiftSettings: swiftSettings),
        .target(name: "JSONCoding", swiftSettings: swiftSettings),
        .target(name: "Columnar", dependencies: ["JSONCoding"], swiftSettings: swiftSettings),

        // Layer 2: file formats (synchronous, no I/O, no CDC logic).
        .target(
            name: "Parquet",
            dependencies: ["CompressionCodecs", "BinaryCoding", "Columnar"],
            swiftSettings: swiftSettings
        ),

        // Layer 3: storage (async I/O), then Delta Lake and Datastream on top.
        .target(name: "ObjectStore", swiftSettings: swiftSettings),
        .target(
            name: "Avro",
            dependencies: ["BinaryCoding", "CompressionCodecs", "Columnar", "JSONCoding"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DeltaLake",
            dependencies: ["ObjectStore", "Parquet", "Columnar", "JSONCoding"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Datastream",
            dependencies: ["Avro", "Columnar", "ObjectStore", "CompressionCodecs"],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "DatastreamGenerator",
            dependencies: ["Avro", "Columnar", "ObjectStore"],
            swiftSettings: swiftSettings
        ),

        // Helpers shared by the test targets (not a product).
        .target(name: "TestSupport", dependencies: ["Columnar"], swiftSettings: swiftSettings),

        // Top: the command-line tool.
        .executableTarget(
            name: "DatastreamDeltaCLI",
            dependencies: [
                "Parquet", "Columnar", "ObjectStore", "DatastreamGenerator", "Datastream", "Avro", "DeltaLake", "JSONCoding",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tools outside the product: benchmark and fuzz drivers (see docs/BENCHMARKS.md, docs/FUZZING.md).
        .executableTarget(
            name: "ParquetBenchmark",
            dependencies: ["Parquet", "Columnar", "CompressionCodecs"],
            path: "Benchmarks/ParquetBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DatastreamBenchmark",
            dependencies: ["Avro", "Datastream", "Columnar", "DatastreamGenerator", "ObjectStore"],
            path: "Benchmarks/DatastreamBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "delta-commit-probe",
            dependencies: ["DeltaLake", "ObjectStore", "Columnar", "JSONCoding"],
            path: "Benchmarks/DeltaCommitProbe",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DecoderFuzzer",
            dependencies: ["Parquet", "Columnar", "CompressionCodecs", "BinaryCoding"],
            path: "Fuzz/DecoderFuzzer",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "CompressionCodecsTests", dependencies: ["TestSupport", "CompressionCodecs"], swiftSettings: swiftSettings),
        .testTarget(name: "BinaryCodingTests", dependencies: ["TestSupport", "BinaryCoding"], swiftSettings: swiftSettings),
        .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding"], swiftSettings: swiftSettings),
        .testTarget(name: "ColumnarTests", dependencies: ["TestSupport", "Columnar"], swiftSettings: swiftSettings),
        .testTarget(name: "ObjectStoreTests", dependencies: ["TestSupport", "ObjectStore"], swiftSettings: swiftSettings),
        .testTarget(name: "AvroTests", dependencies: ["TestSupport", "Avro", "Columnar", "CompressionCodecs"], swiftSettings: swiftSettings),
        .testTarget(name: "DeltaLakeTests", dependencies: ["TestSupport", "JSONCoding", "DeltaLake", "ObjectStore", "Parquet", "Columnar"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DatastreamTests",
            dependencies: ["TestSupport", "Datastream", "Avro", "Columnar", "ObjectStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DatastreamGeneratorTests",
            dependencies: ["TestSupport", "DatastreamGenerator", "ObjectStore", "Columnar"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "Parquet", "Columnar"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParquetTests",
            dependencies: ["TestSupport", "Parquet", "Columnar", "CompressionCodecs"],
            swiftSettings: swiftSettings
        ),
    ]
)
