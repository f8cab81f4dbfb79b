import ArgumentParser
import SqueezeIR

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the graph IR as text (stable, for reviews and golden tests).")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Leave out the weight fingerprints.")
    var noFingerprints = false

    func run() throws {
        print(GraphPrinter.print(try model.load(), fingerprints: !noFingerprints), terminator: "")
    }
}
