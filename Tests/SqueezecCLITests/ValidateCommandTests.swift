import Foundation
import SqueezeTensorIO
import Testing

@Suite struct ValidateCommandTests {
    @Test func hostValidationReportsJSONAndWritesTheOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("y.npy").path
        let r = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "host", "--input", "Samples/sample224.npy",
                                   "--output", output, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "--json is quiet")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        for key in ["max_abs_error", "arena_bytes", "weight_bytes", "inputs", "tolerance"] { #expect(object[key] != nil, "\(key)") }
        #expect((object["max_abs_error"] as? Double ?? 1) < 1e-4)
        // The written output is the generated code's, and matches `run` closely.
        let generated = try #require(try NpyFormat.read(path: output).floats)
        let reference = dir.appendingPathComponent("ref.npy").path
        #expect(try CLIRunner.run(["run", "squeezenet1.1", "--input", "Samples/sample224.npy", "--output", reference]).status == 0)
        let expected = try #require(try NpyFormat.read(path: reference).floats)
        #expect(zip(generated, expected).map { abs($0 - $1) }.max()! < 1e-4)
    }

    @Test func progressGoesToStandardError() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.0", "--input-size", "64", "--classes", "10", "--inputs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[validate] running input 2/2"))
        #expect(r.stdout.contains("PASS"))
        #expect(r.stdout.contains("seed 1:") && r.stdout.contains("seed 2:"))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let nowhere = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "nowhere"])
        #expect(nowhere.status == 2)
        // One line that lists every board (from Board.all).
        #expect(nowhere.stderr.split(separator: "\n").count == 1)
        #expect(["host", "mps2-an386", "mps2-an500", "mps3-an547", "mps3-an547-dtcm128"].allSatisfy { nowhere.stderr.contains($0) }, "\(nowhere.stderr)")
        let reference = try CLIRunner.run(["validate", "squeezenet1.1", "--target", "reference"])
        #expect(reference.status == 2 && reference.stderr.contains("--target host or a board"), "\(reference.stderr)")
        #expect(try CLIRunner.run(["validate", "squeezenet1.1", "--inputs", "0"]).status == 2)
    }
}

@Suite struct FirmwareCommandTests {
    @Test func validateOnABoardReportsFirmwareFigures() throws {
        let r = try CLIRunner.run(["validate", "squeezenet1.0", "--input-size", "64", "--classes", "10", "--target", "mps3-an547", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        for key in ["instructions", "flash_bytes", "ram_bytes", "stack_bytes", "layers", "instructions_per_mac"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        // The flash figure by part, and the parts add up to it.
        let parts = try ["flash_code_bytes", "flash_weights_bytes", "flash_other_bytes"].map { key in
            try #require(object[key] as? Int, "missing \(key)")
        }
        #expect(parts.allSatisfy { $0 > 0 })
        #expect(parts.reduce(0, +) == object["flash_bytes"] as? Int)
        #expect(parts[1] >= object["weight_bytes"] as? Int ?? .max, "the weights section holds every weight array")
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.first?["name"] as? String == "conv1")
        #expect((layers.first?["instructions"] as? Int ?? 0) > 0)
    }

    @Test func firmwareBuildsAnELF() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fw")
        let r = try CLIRunner.run(["firmware", "squeezenet1.1", "--input-size", "64", "--board", "mps2-an500", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("firmware.elf").path))
        // "flash N bytes (code a, weights b, other c)": the parts add up.
        let figures = try #require(r.stdout.firstMatch(of: /flash (\d+) bytes \(code (\d+), weights (\d+), other (\d+)\)/), "\(r.stdout)")
        let (flash, code, weights, other) = (Int(figures.1)!, Int(figures.2)!, Int(figures.3)!, Int(figures.4)!)
        #expect(code > 0 && weights > 0 && other > 0)
        #expect(code + weights + other == flash)
        // "RAM N bytes (arena a + data + bss b + harness buffers c + stack s reserved)": the parts add up too.
        let ram = try #require(r.stdout.firstMatch(of: /RAM (\d+) bytes \(arena (\d+) \+ data \+ bss (\d+) \+ harness buffers (\d+) \+ stack (\d+) reserved\)/),
                               "\(r.stdout)")
        #expect(Int(ram.1)! == Int(ram.2)! + Int(ram.3)! + Int(ram.4)! + Int(ram.5)!)
        #expect(Int(ram.4)! >= (64 * 64 * 3 + 1000) * 4, "the harness's input and output images")
        // The folder's Makefile rebuilds the same image, and runs it.
        let elf = out.appendingPathComponent("firmware.elf")
        let built = try Data(contentsOf: elf)
        let make = try CLIRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["make", "-C", out.path, "clean", "all"])
        #expect(make.status == 0, "\(make.stderr)")
        #expect(try Data(contentsOf: elf) == built, "make rebuilt a different firmware.elf")
        try Data(count: 64 * 64 * 3 * 4).write(to: out.appendingPathComponent("input.bin"))
        let run = try CLIRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["make", "-s", "-C", out.path, "run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((try? Data(contentsOf: out.appendingPathComponent("output.bin")))?.count == 1000 * 4)
        let bad = try CLIRunner.run(["firmware", "squeezenet1.1", "--board", "stm32", "-o", out.path])
        #expect(bad.status == 2)
        let tooBig = try CLIRunner.run(["firmware", "squeezenet1.0", "--schedule", "layer", "--board", "mps3-an547", "-o", out.path])
        #expect(tooBig.status == 1)
        #expect(tooBig.stderr.contains("DTCM needs"))
    }

    @Test func aFirmwareOverTheFlashSizeStopsBeforeLinkingWithTheNumbers() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("fw")
        let small = ["firmware", "squeezenet1.1", "--input-size", "48", "--classes", "10", "--base-e", "32", "--incr-e", "32"]
        // Weights alone over the flash: refused before anything is compiled.
        let early = try CLIRunner.run(small + ["--flash-size", "65536", "-o", out.path])
        #expect(early.status == 1, "\(early.stderr)")
        let weightsOnly = try #require(early.stderr.firstMatch(of: /does not fit mps2-an386: flash needs at least (\d+) bytes \(weights (\d+), before code\) but has 65536/),
                                       "\(early.stderr)")
        #expect(weightsOnly.1 == weightsOnly.2 && early.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        // Weights that fit but code that does not: refused on the compiled objects, before linking.
        let flash = Int(weightsOnly.2)! + 1024
        let r = try CLIRunner.run(small + ["--flash-size", "\(flash)", "-o", out.path])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(r.stderr)")
        let pattern = /does not fit mps2-an386: flash needs (\d+) bytes \(code (\d+) \+ weights (\d+) \+ other (\d+)\) but has (\d+) \((\d+) over\)/
        let numbers = try #require(r.stderr.firstMatch(of: pattern), "\(r.stderr)")
        let (need, code, weights, other, has, over) = (Int(numbers.1)!, Int(numbers.2)!, Int(numbers.3)!, Int(numbers.4)!, Int(numbers.5)!,
                                                       Int(numbers.6)!)
        #expect(code + weights + other == need && has == flash)
        #expect(need - flash == over)
        // Nothing half-written: no output folder, no staging folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)

        // With room for it, the same model builds, and its linked flash fits too.
        let fits = try CLIRunner.run(small + ["--flash-size", "\(need + 4096)", "-o", out.path])
        #expect(fits.status == 0, "\(fits.stderr)")
        let built = try #require(fits.stdout.firstMatch(of: /flash (\d+) bytes/), "\(fits.stdout)")
        #expect(Int(built.1)! <= need + 4096)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("firmware.elf").path))
        #expect(try CLIRunner.run(small + ["--flash-size", "0", "-o", out.path]).status == 2)

        // validate on a board checks the same before linking; on the host there is no flash to check.
        var validate = small
        validate[0] = "validate"
        let refused = try CLIRunner.run(validate + ["--target", "mps2-an386", "--flash-size", "\(flash)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("squeezec: error: squeezenet1.1 does not fit mps2-an386: flash needs \(need) bytes"), "\(refused.stderr)")
        let host = try CLIRunner.run(validate + ["--flash-size", "65536"])
        #expect(host.status == 2 && host.stderr.contains("--flash-size needs --target BOARD"), "\(host.stderr)")
    }
}
