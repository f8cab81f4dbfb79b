import ArgumentParser
import Foundation
import SqueezeCodegen
import SqueezeIR
import SqueezeValidation

/// `squeezec board`: checks a board description and writes the linker
/// script and `sq_board.h` squeezec builds its firmware with.
struct BoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Check a board (built-in name or board file) and write its linker script and sq_board.h.",
        discussion: "The format of board files is in docs/boards.md; the built-in boards are the files of Firmware/boards/.")

    @Argument(help: ArgumentHelp("A built-in board (\(Board.all.map(\.name).joined(separator: ", "))) or a board file (.json).", valueName: "board"))
    var board: String

    @Option(name: .shortAndLong, help: "Write <name>.ld and sq_board.h into this folder (created if needed; other files in it are kept).")
    var output: String?

    func run() throws {
        let board = try Board.resolve(board)
        print("\(board.name): \(board.cpu.rawValue)\(board.fpu ? ", FPU" : ", no FPU")\(board.dsp ? ", DSP" : ", no DSP"); "
              + "compiler flags \(board.cpuFlags.joined(separator: " "))")
        for region in board.regions {
            let holds = Board.Content.allCases.filter { region.holds.contains($0) }.map(\.rawValue)
            print("  \(region.name) \(region.kind.rawValue) at \(LinkerScript.hex(region.origin)), \(region.bytes) bytes: "
                  + (holds.isEmpty ? "nothing" : holds.joined(separator: ", ")) + (region.emulated ? "" : " (not modelled by QEMU)"))
        }
        print("  stack \(board.stackBytes) bytes; " + (board.qemuMachine.map { "QEMU machine \($0)" } ?? "no QEMU machine (build only)"))
        if let output {
            let files = [GeneratedFile(name: "\(board.name).ld", contents: LinkerScript.text(for: board)),
                         GeneratedFile(name: "sq_board.h", contents: BoardHeader.text(for: board))]
            try OutputDirectory.write(files, to: output)
            print("wrote \(output)/\(board.name).ld and \(output)/sq_board.h")
        }
    }
}
