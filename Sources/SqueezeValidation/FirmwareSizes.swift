import Foundation
import SqueezeIR

/// A firmware image's bytes by what they are, from the section sizes
/// `arm-none-eabi-size -A` reports: of its objects before linking (the fit
/// check), or of the linked ELF (the figures reported).
///
/// Flash = code + weights + other. Code is `.text` (kernels, model, harness,
/// startup; in the ELF also the few library functions). Weights are the const
/// data of the generated `<prefix>_weights.c` (the ELF's `.weights`). Other is
/// every other byte the image stores: the vector table, parameter structs and
/// small tables (`.rodata`), `.ARM.exidx` and the `.data` load image.
/// RAM = `.data` + `.bss` + arena (`<prefix>_arena.c`, the ELF's `.arena`)
/// + the harness's input and output images (`.sq_io`, also apart as `io`:
/// boards may place them in another region); the stack is not in it (it is
/// reserved by the board and measured at run time).
public struct FirmwareSizes: Sendable, Codable, Equatable {
    public var code = 0
    public var weights = 0
    public var otherFlash = 0
    /// `.data` (in RAM; its load image is also in `otherFlash`).
    public var data = 0
    public var bss = 0
    public var arena = 0
    /// Of `arena`, the parts in the other regions of a split arena, by
    /// region identifier (`.arena_<id>`, `.bss.sq_arena_<id>.*`;
    /// `ArenaSections`); the rest is in the first region. Empty unless split.
    public var arenaParts: [String: Int] = [:]
    /// The harness's input and output images.
    public var io = 0

    public init(code: Int = 0, weights: Int = 0, otherFlash: Int = 0, data: Int = 0, bss: Int = 0, arena: Int = 0, io: Int = 0) {
        self.code = code
        self.weights = weights
        self.otherFlash = otherFlash
        self.data = data
        self.bss = bss
        self.arena = arena
        self.io = io
    }

    public var flash: Int { code + weights + otherFlash }
    public var ram: Int { data + bss + arena + io }

    /// "RAM 125804 bytes (arena 117760 + data + bss 1188 + harness buffers 5536 + stack 1320 measured)".
    public func ramSummary(stack: Int?, measured: Bool) -> String {
        Self.ramSummary(arena: arena, dataBss: data + bss, harness: io, stack: stack, measured: measured)
    }

    public static func ramSummary(arena: Int, dataBss: Int, harness: Int, stack: Int?, measured: Bool) -> String {
        var parts = [("arena", arena), ("data + bss", dataBss), ("harness buffers", harness)].filter { $0.1 > 0 }
            .map { "\($0.0) \($0.1)" }
        if let stack { parts.append("stack \(stack) \(measured ? "measured" : "reserved")") }
        return "RAM \(arena + dataBss + harness + (stack ?? 0)) bytes (" + parts.joined(separator: " + ") + ")"
    }

    /// Adds one section. `object`: the object file it is in (nil for a
    /// linked image, whose linker script has already gathered the weights
    /// into `.weights` and the arena into `.arena`).
    public mutating func add(section name: String, size: Int, object: String?) {
        func named(_ prefix: String) -> Bool { name == prefix || name.hasPrefix(prefix + ".") }
        // The generated code names its sections (.rodata.sq_weights.<prefix>,
        // .bss.sq_arena.<prefix>); objects named *_weights.o / *_arena.o
        // (hand-written test models) count by name.
        let weightsObject = (object?.hasSuffix("_weights.o") ?? false) || named(".rodata.sq_weights")
        let arenaObject = (object?.hasSuffix("_arena.o") ?? false) || named(".bss.sq_arena")
        if name == ".weights" {
            weights += size
        } else if name == ".arena" {
            arena += size
        } else if name.hasPrefix(".arena_") || name.hasPrefix(".bss.sq_arena_") {
            // Another region of a split arena: the linked output section, or an object's section.
            let id = name.hasPrefix(".arena_") ? String(name.dropFirst(7))
                : String(name.dropFirst(14).prefix { $0 != "." })
            arena += size
            arenaParts[id, default: 0] += size
        } else if name == ".sq_io" || name == ".bss.sq_io" {
            io += size
        } else if named(".text") {
            code += size
        } else if named(".rodata") {
            if weightsObject { weights += size } else { otherFlash += size }
        } else if name == ".vectors" || named(".ARM.exidx") || named(".ARM.extab") {
            otherFlash += size
        } else if named(".data") {
            data += size
            otherFlash += size
        } else if named(".bss") || name == "COMMON" {
            if arenaObject { arena += size } else { bss += size }
        }
        // Anything else (.comment, .ARM.attributes, debug sections, the
        // NOLOAD .stack) takes neither flash nor static RAM.
    }

    /// Sums `arm-none-eabi-size -A` output: one block per file, each
    /// starting with a `NAME  :` line, then `section size addr` rows.
    /// Blocks of files ending in `.o` are classified as objects.
    public static func parse(sizeOutput: String) -> FirmwareSizes {
        var sizes = FirmwareSizes()
        var object: String?
        for line in sizeOutput.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasSuffix(":") {
                let file = text.dropLast().trimmingCharacters(in: .whitespaces)
                object = file.hasSuffix(".o") ? file : nil
                continue
            }
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, let size = Int(fields[1]) else { continue }
            sizes.add(section: String(fields[0]), size: size, object: object)
        }
        return sizes
    }

    /// Measures files (objects, or one linked image) with `size`.
    public static func measure(_ files: [URL], tool: String = "arm-none-eabi-size") throws(Diagnostic) -> FirmwareSizes {
        let result = try ProcessRunner.run(tool, ["-A"] + files.map(\.path), timeout: 60)
        guard result.status == 0, !result.timedOut else {
            throw .internal("\(tool) failed: \(result.stderr.split(separator: "\n").first ?? "")")
        }
        return parse(sizeOutput: result.stdout)
    }

    /// "flash N bytes (code a, weights b, other c)".
    public var flashSummary: String {
        "flash \(flash) bytes (code \(code), weights \(weights), other \(otherFlash))"
    }
}
