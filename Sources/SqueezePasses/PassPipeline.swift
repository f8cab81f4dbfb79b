import SqueezeIR

/// The optimisation passes in order, with the verifier after each one.
public struct PassPipeline: Sendable {
    public var passes: [any GraphPass]
    /// Run `GraphVerifier` after every pass (cheap; on by default).
    public var verify: Bool

    public init(passes: [any GraphPass] = PassPipeline.standard, verify: Bool = true) {
        self.passes = passes
        self.verify = verify
    }

    /// Dropout removal, affine ops and pads folded into convolutions (and
    /// pads into average pools), then Fire fusion (needs the separate
    /// ReLUs), then conv + activation, then pooling into producers.
    public static let standard: [any GraphPass] = [DropoutElimination(), AffineFolding(), PadFolding(), FireFusion(), ActivationFusion(),
                                                   PoolFusion()]

    public func run(_ graph: Graph) throws(Diagnostic) -> Graph {
        var current = graph.valueTypes.isEmpty ? try ShapeInference.run(graph) : graph
        if verify { try GraphVerifier.verify(current) }
        for pass in passes {
            current = try pass.run(current)
            if verify {
                do {
                    try GraphVerifier.verify(current)
                } catch {
                    throw .internal("after pass \(pass.name): \(error.message)", node: error.location.node)
                }
            }
        }
        return current
    }
}
