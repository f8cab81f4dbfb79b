import SqueezeCodegen
import SqueezeIR

/// Validation step for firmware targets: flash and RAM of the build, and the
/// measured instructions (per inference, per MAC, per layer) and stack.
struct PerformanceSummary {
    var build: BuildInfo?
    var run: RunResult?

    func apply(to report: inout ValidationReport, graph: Graph) {
        if let build {
            report.flashBytes = build.flashBytes
            report.flashCodeBytes = build.sizes?.code
            report.flashWeightsBytes = build.sizes?.weights
            report.flashOtherBytes = build.sizes?.otherFlash
            report.ramBytes = build.ramBytes + (run?.stackBytes ?? 0)
            report.ramArenaBytes = build.sizes?.arena
            report.ramDataBytes = build.sizes.map { $0.data + $0.bss }
            report.ramHarnessBytes = build.sizes?.io
            report.ramRegions = build.ramRegions
        }
        guard let run, let instructions = run.instructions else { return }
        let macs = CostModel.totalMACs(graph)
        report.instructions = instructions
        report.macs = macs
        report.instructionsPerMAC = Double(instructions) / Double(max(macs, 1))
        report.stackBytes = run.stackBytes
        report.layers = run.layers.map { layer in
            let macs = graph.node(named: layer.name).map { CostModel.macs(of: $0, in: graph) }
            let perMAC = macs.flatMap { $0 > 0 ? Double(layer.instructions) / Double($0) : nil }
            return .init(name: layer.name, instructions: layer.instructions, macs: macs, instructionsPerMAC: perMAC)
        }
    }
}
