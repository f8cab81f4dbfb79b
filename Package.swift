// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "squeezec",
    products: [
        .executable(name: "squeezec", targets: ["squeezec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // The pipeline, one folder a stage.
        .target(name: "SqueezeIR"),
        .target(name: "SqueezeTensorIO", dependencies: [
            "SqueezeIR",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "SqueezeFrontend", dependencies: ["SqueezeIR", "SqueezeTensorIO"]),
        .target(name: "SqueezePasses", dependencies: ["SqueezeIR"]),
        .target(name: "SqueezeMemory", dependencies: ["SqueezeIR"]),
        .target(name: "SqueezeCodegen", dependencies: ["SqueezeIR", "SqueezePasses", "SqueezeMemory"],
                plugins: ["EmbedFilesPlugin"]),
        .target(name: "SqueezeReference", dependencies: ["SqueezeIR"]),
        .target(name: "SqueezeQuant", dependencies: ["SqueezeIR", "SqueezeReference"]),
        .target(name: "SqueezeAnalysis", dependencies: ["SqueezeIR", "SqueezePasses", "SqueezeMemory"]),
        .target(name: "SqueezeValidation", dependencies: ["SqueezeIR", "SqueezeCodegen", "SqueezeReference"]),
        .executableTarget(name: "squeezec", dependencies: [
            "SqueezeIR", "SqueezeFrontend", "SqueezePasses", "SqueezeMemory",
            "SqueezeCodegen", "SqueezeReference", "SqueezeTensorIO", "SqueezeAnalysis", "SqueezeValidation", "SqueezeQuant",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Build time: Templates/ and Firmware/ carried inside the binary (one copy, in those folders).
        .executableTarget(name: "squeezec-embed", path: "Tools/EmbedFiles"),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["squeezec-embed"]),
        .testTarget(name: "SqueezeIRTests", dependencies: ["SqueezeIR"]),
        .testTarget(name: "SqueezeFrontendTests", dependencies: ["SqueezeFrontend", "SqueezePasses", "SqueezeTensorIO"]),
        .testTarget(name: "SqueezeTensorIOTests", dependencies: ["SqueezeTensorIO"]),
        .testTarget(name: "SqueezePassesTests", dependencies: ["SqueezePasses", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeMemoryTests", dependencies: ["SqueezeMemory", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeCodegenTests", dependencies: ["SqueezeCodegen", "SqueezeFrontend", "SqueezeReference", "SqueezeQuant", "SqueezePasses"],
                    exclude: ["Golden"]),
        .testTarget(name: "SqueezeValidationTests", dependencies: ["SqueezeValidation", "SqueezeFrontend", "SqueezeQuant", "SqueezePasses"]),
        .testTarget(name: "SqueezeReferenceTests", dependencies: ["SqueezeReference", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeQuantTests", dependencies: ["SqueezeQuant", "SqueezeReference", "SqueezePasses", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeAnalysisTests", dependencies: ["SqueezeAnalysis", "SqueezeFrontend"]),
        .testTarget(name: "SqueezecCLITests", dependencies: ["SqueezeTensorIO", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeONNXTests", dependencies: ["SqueezeFrontend", "SqueezeReference", "SqueezeTensorIO", "SqueezePasses"]),
    ],
    swiftLanguageModes: [.v6]
)
