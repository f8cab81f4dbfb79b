import SqueezeFrontend
import SqueezeIR
import SqueezePasses
import Testing
@testable import SqueezeMemory

@Suite struct ExecutionOrderTests {
    /// x (1 KiB) feeds two branches, each a 2 KiB concat pooled to 512 bytes,
    /// joined by a concat. Written with both big maps first (peak 5,120
    /// bytes); finishing one branch before starting the other peaks at 3,584.
    static func twoBranches(_ order: [String] = ["b1", "b2", "s1", "s2", "out"]) throws -> Graph {
        let pool = Op.maxPool(PoolAttributes(kernel: .square(2), stride: .square(2)))
        let nodes: [String: Node] = [
            "b1": Node(name: "b1", op: .concat, inputs: ["x", "x"], output: "b1"),
            "b2": Node(name: "b2", op: .concat, inputs: ["x", "x"], output: "b2"),
            "s1": Node(name: "s1", op: pool, inputs: ["b1"], output: "s1"),
            "s2": Node(name: "s2", op: pool, inputs: ["b2"], output: "s2"),
            "out": Node(name: "out", op: .concat, inputs: ["s1", "s2"], output: "out"),
        ]
        return try ShapeInference.run(Graph(
            name: "branches", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 8, 8, 4)))],
            outputs: ["out"], nodes: order.map { nodes[$0]! }, constants: [:]))
    }

    @Test func finishesOneBranchBeforeStartingTheNext() throws {
        let graph = try Self.twoBranches()
        #expect(try ExecutionOrder.peakLiveBytes(graph) == 5120)
        let best = try ExecutionOrder.best(graph)
        #expect(best.nodes.map(\.name) == ["b1", "s1", "b2", "s2", "out"])
        #expect(try ExecutionOrder.peakLiveBytes(best) == 3584)
        try GraphVerifier.verify(best)
        // Only the order changed.
        #expect(Set(best.nodes) == Set(graph.nodes))
        #expect(best.valueTypes == graph.valueTypes && best.inputs == graph.inputs && best.outputs == graph.outputs)
    }

    @Test func theGreedySchedulerFindsItToo() throws {
        let best = try ExecutionOrder.best(try Self.twoBranches(), transientBytes: { _ in 0 }, stateLimit: 1)
        #expect(best.nodes.map(\.name) == ["b1", "s1", "b2", "s2", "out"])
    }

    @Test func aGoodOrderIsKeptAsItIs() throws {
        let good = try Self.twoBranches(["b1", "s1", "b2", "s2", "out"])
        #expect(try ExecutionOrder.best(good) == good)
        // Ties keep the original order: the mirror image is as good, and stays.
        let mirror = try Self.twoBranches(["b2", "s2", "b1", "s1", "out"])
        #expect(try ExecutionOrder.best(mirror) == mirror)
    }

    /// 10,000 transient bytes while s1 runs: s1 should run when the least else
    /// is live, after the other branch is pooled.
    @Test func transientBytesCount() throws {
        let graph = try Self.twoBranches()
        let transient: (Node) -> Int = { $0.name == "s1" ? 10_000 : 0 }
        let best = try ExecutionOrder.best(graph, transientBytes: transient)
        #expect(best.nodes.map(\.name) == ["b1", "b2", "s2", "s1", "out"])
        #expect(try ExecutionOrder.peakLiveBytes(best, transientBytes: transient) == 13_072)
    }

    @Test(arguments: SqueezeNetConfig.Version.allCases, [224, 64])
    func complexBypassOrderIsNoWorse(version: SqueezeNetConfig.Version, size: Int) throws {
        let graph = try BuiltInVariants.fused(SqueezeNetConfig(version: version, inputSize: size, bypass: .complex))
        let best = try ExecutionOrder.best(graph)
        try GraphVerifier.verify(best)
        #expect(Set(best.nodes.map(\.name)) == Set(graph.nodes.map(\.name)))
        #expect(try ExecutionOrder.peakLiveBytes(best) <= ExecutionOrder.peakLiveBytes(graph))
        // The schedule of the chosen order still plans to its bound.
        let schedule = try ExecutionSchedule(graph: best)
        let plan = SearchPlanner().plan(schedule.buffers, alignment: ExecutionSchedule.alignment)
        try PlanChecker.check(plan, schedule.buffers, alignment: ExecutionSchedule.alignment)
        #expect(plan.arenaBytes == plan.lowerBound)
    }

    /// Twenty branches: too many node sets for the exact search, so the
    /// greedy scheduler runs, and still pools each branch right away.
    @Test func wideGraphsFallBackToTheGreedyScheduler() throws {
        let pool = Op.maxPool(PoolAttributes(kernel: .square(2), stride: .square(2)))
        let branches = 20
        var nodes = (0..<branches).map { Node(name: "r\($0)", op: .relu, inputs: ["x"], output: "r\($0)") }
        nodes += (0..<branches).map { Node(name: "p\($0)", op: pool, inputs: ["r\($0)"], output: "p\($0)") }
        nodes.append(Node(name: "join", op: .concat, inputs: (0..<branches).map { "p\($0)" }, output: "join"))
        let graph = try ShapeInference.run(Graph(
            name: "wide", inputs: [ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 16, 16, 4)))],
            outputs: ["join"], nodes: nodes, constants: [:]))
        // The exact search gives up after its bounded number of node sets (no
        // wall-clock check: the bound on work is what keeps it fast).
        #expect(try MemoryModel(graph, transientBytes: { _ in 0 }).exhaustive(limit: ExecutionOrder.exhaustiveStateLimit) == nil)
        let best = try ExecutionOrder.best(graph)
        try GraphVerifier.verify(best)
        // x and every relu output, 4 KiB each, are live together at r19.
        #expect(try ExecutionOrder.peakLiveBytes(graph) == 4096 * 21)
        // The join needs all twenty pooled maps and its own 20 KiB output.
        #expect(try ExecutionOrder.peakLiveBytes(best) == 1024 * 20 * 2)
        #expect(Array(best.nodes.map(\.name).prefix(4)) == ["r0", "p0", "r1", "p1"])
    }

    @Test func invalidGraphsAreRejected() throws {
        var graph = try Self.twoBranches()
        graph.nodes.swapAt(0, 2)
        #expect(throws: Diagnostic.self) { try ExecutionOrder.best(graph) }
    }
}
