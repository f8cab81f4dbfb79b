import Foundation
import SqueezeCodegen
import SqueezeFrontend
import SqueezeIR
import SqueezeMemory
import Testing
@testable import SqueezeValidation

/// int8 at every input size the topology allows: the final global average
/// covers 1x1 pixels at the smallest inputs (its rescale factor is then about
/// 1, which the convolutions' multiplier form cannot hold), 2x2, 3x3, ... up
/// to 13x13 at 224. Host C must give the Swift int8 reference's bytes.
@Suite struct Int8InputSizeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var version: SqueezeNetConfig.Version
        var size: Int
        /// Side of the final global average's input (pixels averaged: side^2).
        var side: Int
        var schedule: ScheduleKind
        var testDescription: String { "\(version.rawValue) \(size)x\(size) (average over \(side)x\(side)) \(schedule)" }
    }

    /// The smallest input each version allows (every pool's output at least 1x1).
    static let smallest: [SqueezeNetConfig.Version: Int] = [.v1_0: 29, .v1_1: 25]

    /// Densely at the small end: both ends of the 1x1 band, the first size of
    /// the 2x2, 3x3 and 4x4 bands, one larger, and 224; the 1x1 and 2x2
    /// bands on both schedules (the fused conv + average paths differ).
    static let cases: [Case] = [
        Case(version: .v1_1, size: 25, side: 1, schedule: .stream), Case(version: .v1_1, size: 25, side: 1, schedule: .layer),
        Case(version: .v1_1, size: 32, side: 1, schedule: .stream), Case(version: .v1_1, size: 33, side: 2, schedule: .stream),
        Case(version: .v1_1, size: 33, side: 2, schedule: .layer), Case(version: .v1_1, size: 48, side: 2, schedule: .stream),
        Case(version: .v1_1, size: 49, side: 3, schedule: .stream), Case(version: .v1_1, size: 65, side: 4, schedule: .stream),
        Case(version: .v1_1, size: 113, side: 7, schedule: .layer), Case(version: .v1_1, size: 224, side: 13, schedule: .stream),
        Case(version: .v1_0, size: 29, side: 1, schedule: .stream), Case(version: .v1_0, size: 29, side: 1, schedule: .layer),
        Case(version: .v1_0, size: 36, side: 1, schedule: .stream), Case(version: .v1_0, size: 37, side: 2, schedule: .stream),
        Case(version: .v1_0, size: 37, side: 2, schedule: .layer), Case(version: .v1_0, size: 53, side: 3, schedule: .stream),
        Case(version: .v1_0, size: 69, side: 4, schedule: .stream), Case(version: .v1_0, size: 117, side: 7, schedule: .layer),
        Case(version: .v1_0, size: 224, side: 13, schedule: .stream),
    ]

    /// Bit-exact with the reference. The seeded random nets' logits nearly
    /// tie and their int8 SQNR at these sizes is about 20 dB: the bound only
    /// rules out a broken requantisation (which gives far less).
    static func expectExact(_ report: ValidationReport, _ label: String) {
        #expect(report.passed, "\(label)")
        #expect(report.precision == "int8")
        #expect(report.differingBytes == 0, "\(label): \(report.differingBytes ?? -1) bytes differ")
        #expect(report.tolerance == 0)
        #expect((report.fidelity?.minSQNR ?? 0) > 15, "\(label): SQNR \(report.fidelity?.minSQNR ?? 0)")
    }

    @Test(arguments: SqueezeNetConfig.Version.allCases)
    func theSmallestSizeIsTheTopologysSmallest(version: SqueezeNetConfig.Version) throws {
        let smallest = try #require(Self.smallest[version])
        #expect(throws: (any Error).self) { try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: smallest - 1, classes: 10)) }
        let graph = try SqueezeNetBuilder.build(SqueezeNetConfig(version: version, inputSize: smallest, classes: 10)).graph
        let pool = try #require(graph.nodes.first { $0.name == "pool10" })
        let shape = try graph.type(of: pool.inputs[0]).shape
        #expect(shape.h == 1 && shape.w == 1)
    }

    @Test(arguments: cases)
    func hostCIsBitExactWithTheInt8Reference(_ c: Case) throws {
        let config = SqueezeNetConfig(version: c.version, inputSize: c.size, classes: 10)
        let (int8, _) = try Int8ValidationTests.quantized(config)
        let averages = try #require(int8.quantization?.averages)
        #expect(averages.count == 1)
        let average = try #require(averages.values.first)
        #expect(average.count == Int32(c.side * c.side), "\(c.testDescription)")
        if c.side == 1 {
            // The mean of one pixel rescales by about 1: below the convolutions' shift range.
            #expect(average.shift < ConvQuantization.minimumShift)
        }
        Self.expectExact(try Int8ValidationTests.validate(config, runner: HostRunner(), schedule: c.schedule, inputs: c.size < 224 ? 2 : 1),
                         c.testDescription)
    }
}

extension Int8InputSizeTests {
    /// The 1x1 average on a Cortex-M4 (the DSP kernels' fused conv + average).
    @Test func smallestSizeOnTheCortexM4() throws {
        let report = try Int8ValidationTests.validate(SqueezeNetConfig(version: .v1_1, inputSize: 25, classes: 10),
                                                      runner: FirmwareRunner(board: .an386))
        Self.expectExact(report, "v1.1 25x25 an386")
    }
}
