import ArgumentParser
import Foundation
import SqueezeIR

/// The root command. Exit status: 0 success, 1 bad input (model, file, data),
/// 2 bad command line, 3 internal error (a bug in squeezec).
struct SqueezeC: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "squeezec",
        abstract: "Compile SqueezeNet-family networks to portable C for microcontrollers.",
        version: version,
        subcommands: [AnalyzeCommand.self, DumpCommand.self, RunCommand.self, GenerateCommand.self, ValidateCommand.self, FirmwareCommand.self, BoardCommand.self, PlanCommand.self,
                      CalibrateCommand.self, EvalCommand.self, FidelityCommand.self, OpsCommand.self])
}

enum SqueezeCLI {
    static func main() {
        let code: Int32
        InterruptHandler.install()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            // `eval --merge` takes no MODEL: parsed on its own.
            var command: any ParsableCommand = EvalMergeCommand.isMerge(arguments)
                ? try EvalMergeCommand.parseAsRoot(Array(arguments.dropFirst())) : try SqueezeC.parseAsRoot()
            try command.run()
            code = 0
        } catch let diagnostic as Diagnostic {
            Console.error("\(diagnostic)")
            if !diagnostic.details.isEmpty && CommandLine.arguments.contains("--verbose") {
                for line in diagnostic.details { Console.note("  \(line)") }
            }
            code = exitCode(for: diagnostic)
        } catch {
            let status = SqueezeC.exitCode(for: error)
            if status == .success {
                // --help and --version arrive as errors.
                print(SqueezeC.fullMessage(for: error))
                code = 0
            } else {
                Console.error("\(Console.oneLine(SqueezeC.message(for: error), or: "\(error)")) (see 'squeezec --help')")
                code = 2
            }
        }
        exit(code)
    }

    static func exitCode(for diagnostic: Diagnostic) -> Int32 {
        switch diagnostic.kind {
        case .usage: 2
        case .input, .unsupported: 1
        case .internal: 3
        }
    }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("squeezec: error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// A usage error on one line: its first line, then any list that
    /// follows it ("- a", "- b") as "a, b".
    static func oneLine(_ message: String, or fallback: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first else { return fallback }
        let items = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
        return items.isEmpty ? first : first + " " + items.joined(separator: ", ")
    }
}
