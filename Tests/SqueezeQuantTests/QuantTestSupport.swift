import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import SqueezeQuant

/// Seeded noise images shaped like a normalised photo (roughly [-2, 2.5]).
func noiseInputs(count: Int, size: Int, seed: UInt64) -> [Calibrator.Input] {
    var rng = SeededRandom(seed: seed, stream: "quant-tests")
    return (0..<count).map { i in
        Calibrator.Input(name: "noise\(i)", values: (0..<(size * size * 3)).map { _ in rng.uniform(-2, 2.5) })
    }
}

func fusedSqueezeNet(_ version: SqueezeNetConfig.Version, size: Int, classes: Int = 1000) throws -> Graph {
    let model = try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: size, classes: classes))
    return try PassPipeline().run(model.graph)
}

func quantized(_ fused: Graph, calibration: [Calibrator.Input], method: CalibrationMethod = .minMax) throws -> Graph {
    let ranges = try Calibrator(method: method).ranges(fused, inputs: calibration)
    return try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: method.description, inputs: calibration.map(\.name)))
        .run(fused)
}

/// 10 log10(sum ref^2 / sum (ref - x)^2).
func sqnr(_ reference: [Float], _ x: [Float]) -> Double {
    var signal = 0.0, noise = 0.0
    for (r, v) in zip(reference, x) {
        signal += Double(r) * Double(r)
        noise += Double(r - v) * Double(r - v)
    }
    return 10 * log10(signal / max(noise, 1e-30))
}

func log10(_ x: Double) -> Double { Foundation.log10(x) }
import Foundation
