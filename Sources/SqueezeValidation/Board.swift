/// A QEMU Cortex-M board the firmware runs on (files in Firmware/<name>/).
public struct Board: Sendable, Hashable {
    /// A memory region the fit check looks at.
    public struct Region: Sendable, Hashable {
        public var name: String
        public var bytes: Int
        /// What the linker script puts there.
        public var holds: Set<Content>
    }

    public enum Content: String, Sendable, Hashable {
        /// Code (`.text`), the model's weight arrays, other const data
        /// (vectors, `.rodata`, the `.data` load image), static variables
        /// (`.data` and `.bss` in RAM), the static arena, the stack, and the
        /// test harness's own buffers (input and output images).
        case code, weights, constData, data, arena, stack, harness
    }

    public var name: String
    /// Folder of Firmware/ with its linker script and sq_board.h.
    public var firmwareFolder: String
    /// Extra linker flags (layout variants of one board).
    public var linkFlags: [String] = []
    public var qemuMachine: String
    public var cpuFlags: [String]
    public var regions: [Region]
    /// Stack the linker script reserves (bytes).
    public var stackBytes: Int

    public init(name: String, firmwareFolder: String, linkFlags: [String] = [], qemuMachine: String, cpuFlags: [String],
                regions: [Region], stackBytes: Int) {
        self.name = name
        self.firmwareFolder = firmwareFolder
        self.linkFlags = linkFlags
        self.qemuMachine = qemuMachine
        self.cpuFlags = cpuFlags
        self.regions = regions
        self.stackBytes = stackBytes
    }

    public static let an386 = Board(
        name: "mps2-an386", firmwareFolder: "mps2-an386", qemuMachine: "mps2-an386",
        cpuFlags: ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "SSRAM1", bytes: 4 << 20, holds: [.code, .constData]),
                  Region(name: "PSRAM", bytes: 16 << 20, holds: [.weights, .arena]),
                  Region(name: "SSRAM2/3", bytes: 4 << 20, holds: [.stack, .data, .harness])],
        stackBytes: 64 << 10)

    public static let an500 = Board(
        name: "mps2-an500", firmwareFolder: "mps2-an500", qemuMachine: "mps2-an500",
        cpuFlags: ["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "SSRAM1", bytes: 4 << 20, holds: [.code, .constData]),
                  Region(name: "PSRAM", bytes: 16 << 20, holds: [.weights, .arena]),
                  Region(name: "SSRAM2/3", bytes: 4 << 20, holds: [.stack, .data, .harness])],
        stackBytes: 64 << 10)

    /// The MCU-like layout: weights in QSPI "flash", DTCM the only RAM.
    public static let an547 = Board(
        name: "mps3-an547", firmwareFolder: "mps3-an547", qemuMachine: "mps3-an547",
        cpuFlags: ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "ITCM", bytes: 512 << 10, holds: [.code, .constData]),
                  Region(name: "QSPI", bytes: 8 << 20, holds: [.weights]),
                  Region(name: "DTCM", bytes: 512 << 10, holds: [.data, .arena, .stack]),
                  Region(name: "ISRAM", bytes: 4 << 20, holds: [.harness])],
        stackBytes: 16 << 10)

    /// mps3-an547 with a DTCM budget of 128 KiB for .data, arena, .bss and
    /// stack together (a small MCU's RAM): the same files, a linker-enforced limit.
    public static let an547dtcm128 = Board(
        name: "mps3-an547-dtcm128", firmwareFolder: "mps3-an547", linkFlags: ["-Wl,--defsym=sq_dtcm_budget=0x20000"],
        qemuMachine: "mps3-an547",
        cpuFlags: ["-mcpu=cortex-m55", "-mfpu=auto", "-mfloat-abi=hard", "-mthumb"],
        regions: [Region(name: "ITCM", bytes: 512 << 10, holds: [.code, .constData]),
                  Region(name: "QSPI", bytes: 8 << 20, holds: [.weights]),
                  Region(name: "DTCM (128 KiB budget)", bytes: 128 << 10, holds: [.data, .arena, .stack]),
                  Region(name: "ISRAM", bytes: 4 << 20, holds: [.harness])],
        stackBytes: 16 << 10)

    public static let all: [Board] = [.an386, .an500, .an547, .an547dtcm128]

    public static func named(_ name: String) -> Board? {
        all.first { $0.name == name }
    }

    /// This board as a part with `bytes` of flash (replacing an earlier
    /// budget): code, weights and other const data together must fit in
    /// them (checked before linking, from the compiled objects, and again on
    /// the linked image). The QEMU board itself is unchanged: the budget is
    /// a check, not a layout.
    public func withFlashBudget(_ bytes: Int) -> Board {
        var board = self
        board.regions.removeAll { $0.name == "flash" }
        board.regions.append(Region(name: "flash", bytes: bytes, holds: [.code, .weights, .constData]))
        return board
    }

    /// The flash budget `withFlashBudget` set, if any.
    public var flashBudget: Int? {
        regions.first { $0.name == "flash" }?.bytes
    }

    /// Every region's need against its capacity, from what is known before
    /// compiling: the model's weights and arena and the harness's buffers
    /// (`harnessBytes`: its input and output images, which share the board's
    /// RAM in these images). Regions that hold code wait for the compiled
    /// objects (`misfit(_:)`). nil when the model fits.
    public func misfit(weightBytes: Int, arenaBytes: Int, harnessBytes: Int = 0) -> String? {
        misfit(Need(weights: weightBytes, arena: arenaBytes, harness: harnessBytes), skippingCode: true)
    }

    /// Every region's need against its capacity, from the section sizes of
    /// the compiled objects or the linked image; nil when it fits.
    public func misfit(_ sizes: FirmwareSizes) -> String? {
        misfit(Need(code: sizes.code, weights: sizes.weights, constData: sizes.otherFlash, data: sizes.data + sizes.bss,
                    arena: sizes.arena, harness: sizes.io), skippingCode: false)
    }

    struct Need {
        var code = 0, weights = 0, constData = 0, data = 0, arena = 0, harness = 0
    }

    private func misfit(_ need: Need, skippingCode: Bool) -> String? {
        var problems: [String] = []
        for region in regions where !(skippingCode && region.holds.contains(.code)) {
            // In the order of the flash figures: code, weights, other; then RAM.
            let parts: [(Content, String, Int)] = [
                (.code, "code", need.code), (.weights, "weights", need.weights), (.constData, "other", need.constData),
                (.data, "data + bss", need.data), (.arena, "arena", need.arena), (.stack, "stack", stackBytes),
                (.harness, "harness buffers", need.harness),
            ].filter { region.holds.contains($0.0) && $0.2 > 0 }
            let total = parts.reduce(0) { $0 + $1.2 }
            if total > region.bytes {
                problems.append("\(region.name) needs \(total) bytes (\(parts.map { "\($0.1) \($0.2)" }.joined(separator: " + "))) "
                                + "but has \(region.bytes) (\(total - region.bytes) over)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
