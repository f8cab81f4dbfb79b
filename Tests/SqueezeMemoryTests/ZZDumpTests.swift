import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct ZZDump {
    @Test func dump() throws {
        for v in SqueezeNetConfig.Version.allCases { for b in SqueezeNetConfig.Bypass.allCases { for s in [224, 64] {
            let graph = try PassPipeline().run(try SqueezeNetBuilder.build(SqueezeNetConfig(version: v, inputSize: s, bypass: b)).graph)
            let schedule = try ExecutionSchedule(graph: graph)
            let plan = GreedyBySizePlanner().plan(schedule.buffers, alignment: 16)
            print("== \(v) \(b) \(s): n=\(schedule.buffers.count) greedy \(plan.arenaBytes) lb \(plan.lowerBound) nodes \(graph.nodes.count)")
            if s == 224 && b == .complex { for n in graph.nodes { print("  node", n.name, n.op.name, n.inputs, n.output) }
            for x in schedule.buffers { print("  ", x.name, x.bytes, x.firstUse, x.lastUse) } }
        }}}
    }
}
