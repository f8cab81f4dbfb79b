import ArgumentParser
import SqueezeFrontend
import SqueezeIR

/// `squeezec ops`: the supported ONNX operators as a markdown table, built
/// from the importer's table (`ONNXOperatorTable`), the int8 support table
/// (`Int8Support`) and how each op streams (`OpKind.streams`). The README
/// shows its output (rerun by scripts/check_docs.sh).
struct OpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "Print the supported ONNX operators as a markdown table (fp32, int8, fusion, streaming).")

    func run() throws {
        print(OpsTable.markdown())
    }
}

/// The rows of `squeezec ops`.
enum OpsTable {
    static func markdown() -> String {
        var lines = ["| ONNX op | IR op | fp32 | int8 | fused with | streams |", "| --- | --- | --- | --- | --- | --- |"]
        for row in ONNXOperatorTable.rows {
            let name = (row.domain.isEmpty ? "" : "\(row.domain).") + row.opType
            let ir = row.kind.map(\.rawValue) ?? "—"
            let int8: String
            if let kind = row.kind {
                int8 = Int8Support.supports(kind) ? "yes" : kind.fusedWith.isEmpty ? "no" : "when fused"
            } else {
                int8 = "yes"
            }
            let fused = row.kind.map { $0.fusedWith.isEmpty ? "—" : $0.fusedWith } ?? "—"
            let streams = row.streams ?? row.kind?.streams ?? "—"
            let ir2 = row.note.isEmpty ? ir : "\(ir) (\(row.note))"
            lines.append("| \(name) | \(ir2) | yes | \(int8) | \(fused) | \(streams) |")
        }
        return lines.joined(separator: "\n")
    }
}
