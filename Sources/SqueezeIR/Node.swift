/// One operation of the graph. Values are named; a node reads `inputs`
/// (activations), `parameters` (constants in `Graph.constants`) and writes one
/// `output` value.
public struct Node: Sendable, Hashable {
    public var name: String
    public var op: Op
    public var inputs: [String]
    public var parameters: [String]
    public var output: String
    /// Names of the original nodes a fused node stands for (empty: just itself).
    public var fusedFrom: [String]

    public init(name: String, op: Op, inputs: [String], parameters: [String] = [], output: String, fusedFrom: [String] = []) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.parameters = parameters
        self.output = output
        self.fusedFrom = fusedFrom
    }

    /// The source nodes this node computes: `fusedFrom`, or its own name.
    public var sourceNames: [String] { fusedFrom.isEmpty ? [name] : fusedFrom }
}
