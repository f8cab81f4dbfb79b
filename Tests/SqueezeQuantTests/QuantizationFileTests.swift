import Foundation
import SqueezeIR
import Testing
@testable import SqueezeQuant

@Suite struct QuantizationFileTests {
    static func calibrated(size: Int = 33, method: CalibrationMethod = .percentile(99.9)) throws -> (fused: Graph, file: QuantizationFile, graph: Graph) {
        let fused = try fusedSqueezeNet(.v1_1, size: size, classes: 10)
        let inputs = noiseInputs(count: 2, size: size, seed: 7)
        let ranges = try Calibrator(method: method).ranges(fused, inputs: inputs)
        let summary = CalibrationSummary(method: method.description, inputs: inputs.map(\.name))
        let file = try QuantizationFile(graph: fused, ranges: ranges, calibration: summary)
        return (fused, file, try Quantizer(ranges: ranges, calibration: summary).run(fused))
    }

    static func temporary(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-q-\(UUID().uuidString).json")
        try data.write(to: url)
        return url.path
    }

    /// Written, read back and quantised: exactly the quantisation calibrating gave.
    @Test func aRoundTripGivesTheSameQuantisation() throws {
        let (fused, file, graph) = try Self.calibrated()
        let path = try Self.temporary(Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        let read = try QuantizationFile.read(path)
        #expect(read == file)
        let ranges = try read.ranges(for: fused, path: path)
        let again = try Quantizer(ranges: ranges, calibration: read.summary).run(fused)
        #expect(again.quantization == graph.quantization)
        #expect(again == graph)
        #expect(file.tensors.map(\.name) == Calibrator.points(of: fused))
        #expect(file.input.shape == [1, 33, 33, 3])
        let json = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .utf8))
        #expect(json.contains("\"format\" : \"squeezec-quantization\""))
        #expect(json.contains("\"zero_point\""))
    }

    /// Every Float, awkward decimals included, reads back bit for bit.
    @Test func floatsSurviveTheJSONExactly() throws {
        var (fused, file, _) = try Self.calibrated()
        let awkward: [Float] = [-0.1, -1e-38, -3.4028235e38, -Float.leastNonzeroMagnitude, -0.33333334, -2.7182817]
        for (i, lo) in awkward.enumerated() {
            let range = lo...Float(i + 1) / 3
            let p = Quantizer.activationParams(range)
            file.tensors[i] = QuantizationFile.TensorEntry(name: file.tensors[i].name, min: range.lowerBound, max: range.upperBound,
                                                           scale: p.scale, zeroPoint: p.zeroPoint)
        }
        let path = try Self.temporary(try file.json())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try QuantizationFile.read(path)
        #expect(zip(read.tensors, file.tensors).allSatisfy { $0.min.bitPattern == $1.min.bitPattern && $0.max.bitPattern == $1.max.bitPattern })
        #expect(try read.ranges(for: fused, path: path).count == file.tensors.count)
    }

    /// One-line errors naming the file and the tensor.
    @Test func aFileForAnotherModelIsRejected() throws {
        let (fused, file, _) = try Self.calibrated()
        func message(_ f: QuantizationFile, for graph: Graph) -> String? {
            do {
                _ = try f.ranges(for: graph, path: "q.json")
                return nil
            } catch {
                #expect(error.location.file == "q.json")
                #expect(error.kind == .input)
                return error.message
            }
        }
        // Another input size.
        let other = try fusedSqueezeNet(.v1_1, size: 48, classes: 10)
        #expect(message(file, for: other)?.contains("input shape [1, 33, 33, 3]") == true)
        // A missing tensor, an unknown one, an edited scale.
        var missing = file
        let dropped = missing.tensors.remove(at: 3)
        #expect(message(missing, for: fused)?.contains("tensor '\(dropped.name)'") == true)
        var renamed = file
        renamed.tensors[2].name = "nonsense"
        #expect(message(renamed, for: fused)?.contains("tensor 'nonsense'") == true)
        var edited = file
        edited.tensors[4].scale *= 2
        #expect(message(edited, for: fused)?.contains("tensor '\(file.tensors[4].name)'") == true)
        var swapped = file
        swapped.tensors.swapAt(1, 2)
        #expect(message(swapped, for: fused)?.contains("another order") == true)
        // Another version of the network (v1.0 has other layers).
        let v10 = try fusedSqueezeNet(.v1_0, size: 33, classes: 10)
        #expect(message(file, for: v10)?.contains("tensor '") == true)
        #expect(message(file, for: fused) == nil)
    }

    /// Ranges calibrated on differently normalised images do not load.
    @Test func aFileCalibratedWithOtherPreprocessingIsRejected() throws {
        var (fused, _, _) = try Self.calibrated()
        fused.preprocessing = try #require(Preprocessing.standard(channels: 3))
        let inputs = noiseInputs(count: 2, size: 33, seed: 7)
        let ranges = try Calibrator(method: .minMax).ranges(fused, inputs: inputs)
        let file = try QuantizationFile(graph: fused, ranges: ranges, calibration: CalibrationSummary(method: "minmax", inputs: []))
        #expect(file.calibration.preprocessing == fused.preprocessing?.description)
        #expect(try file.ranges(for: fused, path: "q.json").count == ranges.count)
        var bgr = fused
        bgr.preprocessing = try #require(Preprocessing.standard(channels: 3, order: .bgr))
        do {
            _ = try file.ranges(for: bgr, path: "q.json")
            Issue.record("a file calibrated with other preprocessing loaded")
        } catch {
            #expect(error.message.contains("preprocessed as"))
            #expect(error.location.file == "q.json")
        }
    }

    @Test func otherFormatsAndVersionsAreRejected() throws {
        let (_, file, _) = try Self.calibrated()
        var future = file
        future.version = 2
        for (data, expected) in [(Data("{\"a\": 1}".utf8), "format"), (Data("not json".utf8), "not a JSON"),
                                 (try future.json(), "version 2 is not supported"),
                                 (Data("{\"format\": \"squeezec-quantization\", \"version\": 1}".utf8), "missing 'model'")] {
            let path = try Self.temporary(data)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                _ = try QuantizationFile.read(path)
            } throws: { error in
                let d = error as? Diagnostic
                return d?.location.file == path && d?.message.contains(expected) == true
            }
        }
        #expect(throws: Diagnostic.self) { _ = try QuantizationFile.read("/nonexistent/q.json") }
    }
}
