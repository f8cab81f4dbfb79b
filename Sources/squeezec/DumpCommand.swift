import ArgumentParser
import SqueezeIR
import SqueezePipeline

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the graph IR as text (stable, for reviews and golden tests).")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Leave out the weight fingerprints.")
    var noFingerprints = false

    func run() throws {
        // The model as loaded (fp32) or quantised (int8).
        print(GraphPrinter.print(try model.pipeline().interpreted().graph, fingerprints: !noFingerprints), terminator: "")
    }
}
