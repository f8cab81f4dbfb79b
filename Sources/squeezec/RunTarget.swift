import ArgumentParser
import SqueezeIR
import SqueezeValidation

/// Where a command runs a model (`--target`): the Swift reference, the
/// generated C built with the host compiler, or the firmware on a QEMU board:
/// a built-in board (`Board.all`) or a board file (`--target my-board.json`).
enum RunTarget: Equatable, ExpressibleByArgument, CustomStringConvertible {
    case reference
    case host
    case board(Board)
    /// A board file, read by `resolved()` (so a bad file is an error that names the file and field).
    case boardFile(String)

    init?(argument: String) {
        switch argument {
        case "reference": self = .reference
        case "host": self = .host
        default:
            if let board = Board.named(argument) {
                self = .board(board)
            } else if argument.hasSuffix(".json") || argument.contains("/") {
                self = .boardFile(argument)
            } else {
                return nil
            }
        }
    }

    /// The target with its board file read.
    func resolved() throws(Diagnostic) -> RunTarget {
        guard case .boardFile(let path) = self else { return self }
        return .board(try BoardFile.load(path: path))
    }

    var isBoard: Bool {
        switch self {
        case .board, .boardFile: true
        case .reference, .host: false
        }
    }

    var description: String {
        switch self {
        case .reference: "reference"
        case .host: "host"
        case .board(let board): board.name
        case .boardFile(let path): path
        }
    }

    var defaultValueDescription: String { description }

    static var allValueStrings: [String] { ["reference", "host"] + Board.all.map(\.name) }

    /// The boards, for help texts.
    static var boardList: String { Board.all.map(\.name).joined(separator: ", ") + " or a board file (docs/boards.md)" }
}
