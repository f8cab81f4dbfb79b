import Foundation
import SqueezeCodegen
import SqueezeIR
import Testing
@testable import SqueezeValidation

/// Board description files: the built-in boards (Firmware/boards/*.json)
/// and what a bad file gets: one line naming the file and the field.
@Suite struct BoardFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theBuiltInBoardsAreTheFilesOfFirmwareBoards() throws {
        let folder = Self.root.appendingPathComponent("Firmware/boards")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.map { String($0.dropLast(5)) }.sorted() == Board.builtInNames.sorted())
        #expect(Board.all.map(\.name) == Board.builtInNames)
        for file in files {
            // The file on disk reads to the board squeezec carries.
            let board = try BoardFile.load(path: folder.appendingPathComponent(file).path)
            #expect(Board.named(board.name) == board, "\(file)")
            #expect(file == board.name + ".json")
        }
    }

    @Test func compilerFlagsComeFromTheCPUAndItsFPUAndDSP() {
        // The flags the hand-written boards had, so their builds do not change.
        #expect(Board.an386.cpuFlags == ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb"])
        #expect(Board.an500.cpuFlags == ["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard", "-mthumb"])
        #expect(Board.an547.cpuFlags == ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"])
        #expect(Board.an385.cpuFlags == ["-mcpu=cortex-m3", "-mfloat-abi=soft", "-mthumb"])
        #expect(Board.an505.cpuFlags == ["-mcpu=cortex-m33", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard", "-mthumb"])
        #expect(Board.netduinoplus2.cpuFlags == Board.an386.cpuFlags)
        #expect(CortexMCore.m33.compilerFlags(fpu: false, dsp: false) == ["-mcpu=cortex-m33+nodsp+nofp", "-mfloat-abi=soft", "-mthumb"])
        #expect(CortexMCore.m4.compilerFlags(fpu: false, dsp: true) == ["-mcpu=cortex-m4+nofp", "-mfloat-abi=soft", "-mthumb"])
        #expect(CortexMCore.m0plus.compilerFlags(fpu: false, dsp: false) == ["-mcpu=cortex-m0plus", "-mfloat-abi=soft", "-mthumb"])
    }

    @Test func netduinoplus2DescribesThePartNotQEMU() throws {
        let board = Board.netduinoplus2
        #expect(board.qemuMachine == "netduinoplus2" && board.coreClockHz == 168_000_000)
        let flash = try #require(board.region(holding: .code))
        #expect(flash.name == "FLASH" && flash.origin == 0x0800_0000 && flash.bytes == 1 << 20 && flash.kind == .flash)
        #expect(flash.holds == [.code, .weights, .constData])
        let sram = try #require(board.region(holding: .arena))
        #expect(sram.origin == 0x2000_0000 && sram.bytes == 128 << 10 && sram.holds == [.data, .arena, .stack, .harness])
        let ccm = try #require(board.regions.first { $0.name == "CCM" })
        #expect(!ccm.emulated && ccm.holds.isEmpty && ccm.origin == 0x1000_0000)
    }

    static let good = """
        {
          "name": "my-board",
          "cpu": "cortex-m7",
          "fpu": true,
          "coreClockHz": 400000000,
          "stackBytes": 4096,
          "qemu": { "machine": "mps2-an500" },
          "regions": [
            { "name": "FLASH", "origin": "0x08000000", "size": "2M", "kind": "flash", "holds": ["code", "weights"] },
            { "name": "DTCM", "origin": "0x20000000", "size": 131072, "kind": "tcm", "holds": ["data", "arena", "stack"] }
          ]
        }
        """

    @Test func aUserBoardFileWithDefaults() throws {
        let board = try BoardFile.parse(Self.good, file: "my.json")
        #expect(board.name == "my-board" && board.cpu == .m7 && board.fpu && board.dsp)
        #expect(board.stackBytes == 4096 && board.faultAddress == 0xF000_0000)
        // Other const data goes with the code, the harness's buffers with the data, unless a region says otherwise.
        #expect(board.region(holding: .constData)?.name == "FLASH")
        #expect(board.region(holding: .harness)?.name == "DTCM")
        #expect(board.region(holding: .arena)?.bytes == 131_072)
    }

    /// Each bad file, and the field its error must name.
    static let bad: [(String, String, String)] = [
        ("\"cortex-m7\"", "\"cortex-m8\"", "my.json: cpu: unknown cpu \"cortex-m8\": expected cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55"),
        ("\"origin\": \"0x20000000\"", "\"origin\": \"0x08100000\"",
         "my.json: regions[1] (DTCM): overlaps region FLASH (0x8000000, 2097152 bytes)"),
        ("\"size\": 131072", "\"size\": \"lots\"",
         "my.json: regions[1] (DTCM).size: must be a number (e.g. 131072, \"0x20000\" or \"128K\"), got \"lots\""),
        ("\"size\": 131072", "\"size\": true", "my.json: regions[1] (DTCM).size: must be a number"),
        ("[\"code\", \"weights\"]", "[\"weights\"]", "my.json: regions: no region holds code (a flash region with \"holds\": [\"code\", ...])"),
        ("\"stackBytes\": 4096,", "", "my.json: stackBytes: missing"),
        ("\"stackBytes\": 4096,", "\"stackBytes\": 4096, \"stack\": 1,", "my.json: stack: unknown field"),
        ("\"fpu\": true", "\"fpu\": \"yes\"", "my.json: fpu: expected true or false, got \"yes\""),
        ("\"cortex-m7\"", "\"cortex-m3\"", "my.json: fpu: cortex-m3 has no FPU"),
        ("\"fpu\": true", "\"fpu\": true, \"dsp\": false", "my.json: dsp: cortex-m7 always has the DSP extension"),
        ("\"regions\": [", "\"regions\": [{ \"name\": \"SRAM\", \"origin\": \"0x30000000\", \"size\": \"64K\", \"kind\": \"ram\", \"holds\": [\"stack\"] },",
         "my.json: regions: stack is held by SRAM and DTCM: one region each"),
        ("[\"code\", \"weights\"]", "[\"code\", \"weights\", \"stack\"]", "my.json: regions[0] (FLASH).holds: a flash region cannot hold stack"),
        ("\"kind\": \"tcm\"", "\"kind\": \"sram\"", "my.json: regions[1] (DTCM).kind: unknown kind \"sram\": expected flash, ram, tcm, external"),
        ("\"kind\": \"tcm\", \"holds\"", "\"kind\": \"tcm\", \"qemu\": false, \"holds\"",
         "my.json: regions[1] (DTCM).holds: QEMU does not model DTCM (\"qemu\": false): nothing that runs under QEMU may be placed there"),
        ("\"coreClockHz\": 400000000,", "", "my.json: coreClockHz: missing: a board with a QEMU machine needs it"),
        ("\"name\": \"DTCM\"", "\"name\": \"D-TCM\"", "my.json: regions[1].name: \"D-TCM\" must be a linker name"),
        ("\"size\": \"2M\"", "\"size\": \"4096M\"", "my.json: regions[0] (FLASH).size: the region ends past 4 GiB"),
        ("\"regions\": [", "\"regions\": [,", "my.json: not valid JSON"),
    ]

    @Test(arguments: 0..<bad.count)
    func aBadBoardFileIsOneLineNamingTheFileAndField(index: Int) {
        let (from, to, message) = Self.bad[index]
        #expect(Self.good.contains(from), "the test's edit must apply: \(from)")
        let text = Self.good.replacingOccurrences(of: from, with: to)
        do {
            let board = try BoardFile.parse(text, file: "my.json")
            Issue.record("accepted a bad board file: \(board.name)")
        } catch {
            #expect(error.kind == .input)
            #expect("\(error)".hasPrefix(message), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func aMissingFileIsAnInputError() {
        #expect(throws: Diagnostic.self) { try BoardFile.load(path: "/nonexistent/board.json") }
        #expect(throws: Diagnostic.self) { try Board.resolve("no-such-board") }
    }
}
