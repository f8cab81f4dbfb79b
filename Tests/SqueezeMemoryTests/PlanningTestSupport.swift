import SqueezeFrontend
import SqueezeIR
import SqueezePasses
@testable import SqueezeMemory

/// A fixed-seed generator of random lifetimes and allowances for property tests.
struct LifetimeGenerator {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func buffers(count: Int, steps: Int = 20, longest: Int = 6, granule: Int = 16) -> [BufferLifetime] {
        (0..<count).map { i in
            let start = next(steps)
            return BufferLifetime(name: "b\(i)", bytes: granule * (1 + next(64)), firstUse: start, lastUse: start + next(longest))
        }
    }

    /// Allowances for pairs whose input dies where the output is born (some
    /// with gaps beyond the output, some duplicated), plus a few that can
    /// never apply (lifetimes that do not meet, unknown names).
    mutating func allowances(for buffers: [BufferLifetime]) -> [OverlapAllowance] {
        var result: [OverlapAllowance] = []
        for output in buffers {
            for input in buffers where input.id != output.id && input.lastUse == output.firstUse && next(3) == 0 {
                result.append(OverlapAllowance(output: output.id, input: input.id, minimumGap: next(output.bytes + 64) - 16))
                if next(8) == 0 {
                    result.append(OverlapAllowance(output: output.id, input: input.id, minimumGap: next(output.bytes)))
                }
            }
        }
        for _ in 0..<2 where buffers.count >= 2 {
            let a = buffers[next(buffers.count)], b = buffers[next(buffers.count)]
            if a.id != b.id && b.lastUse != a.firstUse {
                result.append(OverlapAllowance(output: a.id, input: b.id, minimumGap: 0))
            }
        }
        result.append(OverlapAllowance(output: "nowhere", input: buffers.first?.id ?? "none", minimumGap: 0))
        return result
    }
}

enum BuiltInVariants {
    /// Both versions, every bypass, at 224x224 and 64x64.
    static let all: [SqueezeNetConfig] = SqueezeNetConfig.Version.allCases.flatMap { version in
        SqueezeNetConfig.Bypass.allCases.flatMap { bypass in
            [224, 64].map { SqueezeNetConfig(version: version, inputSize: $0, bypass: bypass) }
        }
    }

    static func fused(_ config: SqueezeNetConfig) throws -> Graph {
        try PassPipeline().run(try SqueezeNetBuilder.build(config).graph)
    }
}
