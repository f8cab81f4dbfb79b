import Foundation
import Testing

/// Board files on the command line: `squeezec board`, and `--target FILE` /
/// `--board FILE` wherever a built-in board name is accepted.
@Suite(.serialized) struct BoardCommandTests {
    static let root = CLIRunner.packageRoot
    static let digits = root.appendingPathComponent("Tests/Fixtures/digits")

    /// netduinoplus2's description under another name, as a user would start one.
    static func userBoard(in dir: URL, edit: (String) -> String = { $0 }) throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("Firmware/boards/netduinoplus2.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"name\": \"netduinoplus2\"", with: "\"name\": \"my-f405\"")
        let file = dir.appendingPathComponent("my-f405.json")
        try edit(text).write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func boardWritesTheLinkerScriptAndHeader() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("board")
        let r = try CLIRunner.run(["board", "netduinoplus2", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("netduinoplus2: cortex-m4, FPU, DSP; compiler flags -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb\n"))
        #expect(r.stdout.contains("  CCM tcm at 0x10000000, 65536 bytes: nothing (not modelled by QEMU)"))
        let script = try String(contentsOf: out.appendingPathComponent("netduinoplus2.ld"), encoding: .utf8)
        #expect(script.contains("FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 1M"))
        #expect(script.contains("SRAM (rwx) : ORIGIN = 0x20000000, LENGTH = 128K"))
        let header = try String(contentsOf: out.appendingPathComponent("sq_board.h"), encoding: .utf8)
        #expect(header.contains("#define SQ_BOARD_INSTR_PER_TICK_NUM 125u") && header.contains("#define SQ_BOARD_INSTR_PER_TICK_DEN 21u"))
    }

    /// The trained digits model, int8, on a user's copy of netduinoplus2: bit-exact under QEMU.
    @Test func validateOnABoardFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try Self.userBoard(in: dir)
        let r = try CLIRunner.run(["validate", Self.digits.appendingPathComponent("squeezenet1_1_digits32.onnx").path,
                                   "--precision", "int8", "--calibrate", Self.digits.appendingPathComponent("calibrate").path,
                                   "--target", board, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Bool == true && json["differing_bytes"] as? Int == 0)
        #expect(json["target"] as? String == "my-f405")
        #expect((json["instructions"] as? Int ?? 0) > 0)
        #expect((json["flash_bytes"] as? Int ?? .max) <= 1 << 20 && (json["ram_bytes"] as? Int ?? .max) <= 128 << 10)
    }

    @Test func aBadBoardFileIsOneLineAndExitStatus1() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try Self.userBoard(in: dir) { $0.replacingOccurrences(of: "\"size\": \"128K\"", with: "\"size\": \"128 KB\"") }
        let expected = "squeezec: error: \(board): regions[1] (SRAM).size: must be a number (e.g. 131072, \"0x20000\" or \"128K\"), got \"128 KB\"\n"
        for arguments in [["board", board], ["validate", "squeezenet1.1", "--target", board],
                          ["firmware", "squeezenet1.1", "--board", board, "-o", dir.appendingPathComponent("fw").path]] {
            let r = try CLIRunner.run(arguments)
            #expect(r.status == 1 && r.stderr == expected, "\(arguments[0]): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("fw").path))
    }

    /// (docs/boards.md builds firmware for such a board, nrf52840, and shows no "run it" line.)
    @Test func aBoardWithoutQEMUIsNotValidated() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let board = try Self.userBoard(in: dir) {
            $0.replacingOccurrences(of: "  \"qemu\": { \"machine\": \"netduinoplus2\", \"faultAddress\": \"0xF0000000\" },\n", with: "")
        }
        let refused = try CLIRunner.run(["validate", "squeezenet1.1", "--target", board])
        #expect(refused.status == 1 && refused.stderr.contains("board my-f405 names no QEMU machine"), "\(refused.stderr)")
    }
}
