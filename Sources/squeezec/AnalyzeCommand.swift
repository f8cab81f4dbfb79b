import ArgumentParser
import SqueezeAnalysis

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Per-layer shapes, parameters, MACs and activation memory of a model.")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func run() throws {
        let report = try ModelAnalyzer.analyze(try model.load(), schedule: model.schedule)
        print(json ? try ReportFormatter.json(report) : ReportFormatter.text(report), terminator: "")
    }
}
