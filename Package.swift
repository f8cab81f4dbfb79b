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
        .target(name: "SqueezeCodegen", dependencies: ["SqueezeIR", "SqueezeMemory", "SqueezeQuant"],
                plugins: ["EmbedFilesPlugin"]),
        .target(name: "SqueezeReference", dependencies: ["SqueezeIR"]),
        .target(name: "SqueezeQuant", dependencies: ["SqueezeIR", "SqueezeReference"]),
        // Dataset reading (input files and folders) and metrics (top-k, errors, SQNR): validate and eval.
        .target(name: "SqueezeEvaluation", dependencies: ["SqueezeIR", "SqueezeTensorIO", "SqueezeFrontend"]),
        // The compile driver: loaded -> fused -> lowered(precision) -> planned -> generated.
        .target(name: "SqueezePipeline", dependencies: [
            "SqueezeIR", "SqueezeFrontend", "SqueezePasses", "SqueezeQuant", "SqueezeMemory", "SqueezeCodegen", "SqueezeEvaluation",
        ]),
        .target(name: "SqueezeAnalysis", dependencies: ["SqueezeIR", "SqueezeMemory"]),
        .target(name: "SqueezeValidation", dependencies: [
            "SqueezeIR", "SqueezeMemory", "SqueezeCodegen", "SqueezeReference", "SqueezePipeline", "SqueezeEvaluation",
        ]),
        .executableTarget(name: "squeezec", dependencies: [
            "SqueezeIR", "SqueezeFrontend", "SqueezePasses", "SqueezeMemory",
            "SqueezeCodegen", "SqueezeReference", "SqueezeTensorIO", "SqueezeAnalysis", "SqueezeValidation", "SqueezeQuant",
            "SqueezePipeline", "SqueezeEvaluation",
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
        .testTarget(name: "SqueezeCodegenTests", dependencies: ["SqueezeCodegen", "SqueezeFrontend", "SqueezeReference", "SqueezeQuant", "SqueezePasses",
                                                             "SqueezePipeline", "SqueezeValidation"],
                    exclude: ["Golden"]),
        .testTarget(name: "SqueezeValidationTests", dependencies: ["SqueezeValidation", "SqueezeFrontend", "SqueezeQuant", "SqueezePasses",
                                                                "SqueezePipeline", "SqueezeEvaluation", "SqueezeTensorIO"]),
        .testTarget(name: "SqueezeReferenceTests", dependencies: ["SqueezeReference", "SqueezeFrontend", "SqueezePasses", "SqueezeQuant"]),
        .testTarget(name: "SqueezeQuantTests", dependencies: ["SqueezeQuant", "SqueezeReference", "SqueezePasses", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeAnalysisTests", dependencies: ["SqueezeAnalysis", "SqueezeFrontend", "SqueezePipeline"]),
        .testTarget(name: "SqueezePipelineTests", dependencies: ["SqueezePipeline", "SqueezeAnalysis", "SqueezeFrontend", "SqueezePasses", "SqueezeQuant"]),
        .testTarget(name: "SqueezeEvaluationTests", dependencies: ["SqueezeEvaluation", "SqueezeIR", "SqueezeTensorIO"]),
        .testTarget(name: "SqueezecCLITests", dependencies: ["SqueezeTensorIO", "SqueezeFrontend"]),
        .testTarget(name: "SqueezeONNXTests", dependencies: ["SqueezeFrontend", "SqueezeReference", "SqueezeTensorIO", "SqueezePasses"]),
    ],
    swiftLanguageModes: [.v6]
)
