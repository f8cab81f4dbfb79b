import Testing
import SqueezeFrontend
import SqueezeIR
import SqueezeReference
@testable import SqueezeQuant

@Suite struct QuantizerTests {
    @Test func reluRangesUseTheLowestCodeForZero() {
        let p = Quantizer.activationParams(0...6)
        #expect(p.zeroPoint == -128)
        #expect(abs(p.scale - 6 / 255) < 1e-7)
        #expect(p.dequantize(127) > 5.99)
    }

    @Test func zeroIsExactAndTheRangeFits() {
        for range: ClosedRange<Float> in [-1...1, -2.1...2.6, -0.3...5, 0.5...3, -4 ... -1] {
            let p = Quantizer.activationParams(range)
            #expect(p.dequantize(p.zeroPoint) == 0)
            #expect(p.quantize(0) == Int8(p.zeroPoint))
            let lo = min(range.lowerBound, 0), hi = max(range.upperBound, 0)
            #expect(abs(p.dequantize(Int32(p.quantize(lo))) - lo) <= p.scale)
            #expect(abs(p.dequantize(Int32(p.quantize(hi))) - hi) <= p.scale)
        }
    }

    @Test func quantizeRoundsHalfAwayAndHandlesNaN() {
        let p = QuantParams(scale: 0.5, zeroPoint: 3)
        #expect(p.quantize(0.25) == 4)    // 0.5 -> 1
        #expect(p.quantize(-0.25) == 2)   // -0.5 -> -1
        #expect(p.quantize(.nan) == 3)
        #expect(p.quantize(.infinity) == 127)
        #expect(p.quantize(-.infinity) == -128)
    }

    @Test func quantisedGraphIsInt8WithPerChannelWeights() throws {
        let fused = try fusedSqueezeNet(.v1_1, size: 48, classes: 10)
        let q = try quantized(fused, calibration: noiseInputs(count: 2, size: 48, seed: 1))
        #expect(q.inputs[0].type.elementType == .int8)
        #expect(q.valueTypes.values.allSatisfy { $0.elementType == .int8 })
        let quant = try #require(q.quantization)
        for node in q.nodes {
            guard case .fire(let a) = node.op else { continue }
            let e1 = try quant.convolution(node.parameters[a.parameterRanges[1].lowerBound], node: node.name)
            let e3 = try quant.convolution(node.parameters[a.parameterRanges[2].lowerBound], node: node.name)
            // Both expands requantise straight to the concat's parameters.
            #expect(e1.output == e3.output)
            #expect(e1.output == quant.values[node.output])
            #expect(e1.input == quant.values[Quantization.squeezePoint(node.name)])
            #expect(e1.activationMin == e1.output.zeroPoint)
        }
        for (name, tensor) in q.constants {
            if tensor.shape.rank == 4 {
                guard case .int8(let codes) = tensor.storage else { Issue.record("\(name) not int8"); continue }
                #expect(codes.allSatisfy { $0 >= -127 })
            } else {
                #expect(tensor.storage.elementType == .int32)
            }
        }
    }

    /// An int8 softmax outputs probabilities with the fixed scale 1/256, zero point -128 (`SoftmaxQuantization`).
    @Test func softmaxGetsTheFixedOutputParameters() throws {
        let model = try SqueezeNetBuilder.build(SqueezeNetConfig(version: .v1_1, inputSize: 48, classes: 10, softmax: true))
        let fused = try SqueezePassesShim.fuse(model.graph)
        let ranges = try Calibrator().ranges(fused, inputs: noiseInputs(count: 1, size: 48, seed: 2))
        let int8 = try Quantizer(ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: [])).run(fused)
        let q = try #require(int8.quantization)
        let softmax = try #require(q.softmaxes["prob"])
        #expect(q.values["prob"] == QuantParams(scale: 1.0 / 256, zeroPoint: -128))
        #expect(softmax.input == q.values[fused.nodes.first { $0.name == "prob" }!.inputs[0]])
        #expect(softmax.table.count == 256 && softmax.table[0] == 65536 && softmax.table[1] < 65536)
    }

    /// A global average quantises over any pixel count: over 1 and 2 pixels
    /// its factor (input scale / (count * output scale)) is 0.5 or more.
    @Test(arguments: [1, 2, 3, 4, 9, 169])
    func averagesQuantiseOverAnyPixelCount(count: Int) throws {
        let p = QuantParams(scale: 0.05, zeroPoint: -128)
        let a = try Quantizer.average(input: p, output: p, count: count, node: "pool10")
        #expect(a.count == Int32(count))
        let back = Double(a.multiplier) / Double(sign: .plus, exponent: Int(a.shift), significand: 1)
        #expect(abs(back * Double(count) - 1) < 1e-9)
        #expect((a.shift < ConvQuantization.minimumShift) == (count < 3))
        // The mean of `count` equal codes is that code.
        for code: Int32 in [-128, -1, 0, 57, 127] {
            #expect(a.finish(code * Int32(count)) == Int8(code))
        }
    }

    @Test func int8ReferenceTracksFloat() throws {
        let fused = try fusedSqueezeNet(.v1_1, size: 64, classes: 100)
        let calibration = noiseInputs(count: 4, size: 64, seed: 3)
        let q = try quantized(fused, calibration: calibration)
        let fp32 = try ReferenceInterpreter(graph: fused)
        let int8 = try Int8ReferenceInterpreter(graph: q)
        for input in noiseInputs(count: 2, size: 64, seed: 4) {
            let expected = try fp32.run(input.values)
            let codes = try int8.run(try int8.quantizeInput(input.values))
            let got = try int8.dequantizeOutput(codes)
            #expect(sqnr(expected, got) > 20, "SQNR \(sqnr(expected, got)) dB")
        }
    }

    @Test func calibrationIsDeterministicAndClippingNarrows() throws {
        let fused = try fusedSqueezeNet(.v1_1, size: 48, classes: 10)
        let inputs = noiseInputs(count: 3, size: 48, seed: 5)
        let minmax = try Calibrator(method: .minMax).ranges(fused, inputs: inputs)
        #expect(try Calibrator(method: .minMax).ranges(fused, inputs: inputs) == minmax)
        for method in [CalibrationMethod.percentile(99.9), .mse] {
            let clipped = try Calibrator(method: method).ranges(fused, inputs: inputs)
            #expect(try Calibrator(method: method).ranges(fused, inputs: inputs) == clipped)
            #expect(Set(clipped.keys) == Set(minmax.keys))
            for (point, range) in clipped {
                let full = minmax[point]!
                #expect(range.lowerBound >= full.lowerBound - 1e-5 && range.upperBound <= full.upperBound + 1e-5, "\(point)")
                #expect(range.contains(0))
            }
        }
    }

    @Test func methodsParse() {
        #expect(CalibrationMethod(parsing: "minmax") == .minMax)
        #expect(CalibrationMethod(parsing: "mse") == .mse)
        #expect(CalibrationMethod(parsing: "percentile") == .percentile(99.99))
        #expect(CalibrationMethod(parsing: "percentile:99.9") == .percentile(99.9))
        #expect(CalibrationMethod(parsing: "percentile:120") == nil)
        #expect(CalibrationMethod(parsing: "kl") == nil)
    }
}

import SqueezePasses
enum SqueezePassesShim {
    static func fuse(_ g: Graph) throws -> Graph { try PassPipeline().run(g) }
}
