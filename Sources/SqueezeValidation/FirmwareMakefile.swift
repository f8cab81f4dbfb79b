/// The `Makefile` `squeezec firmware -o DIR` leaves next to the image: it
/// rebuilds `firmware.elf` from the folder's sources with exactly the
/// compiler, flags and link line squeezec used (`make`), runs it under QEMU
/// (`make run`, reading `input.bin`) and removes what it built
/// (`make clean`). Object files are named after their sources, as the
/// linker script expects (it places `.rodata.sq_weights.*` and
/// `.bss.sq_arena.*` by section name, so the object names do not matter).
public struct FirmwareMakefile: Sendable {
    public var compiler: String
    public var compileFlags: [String]
    public var linkFlags: [String]
    public var libraries: [String]
    public var sources: [String]
    public var qemu: String
    public var qemuArguments: [String]
    public var boardName: String

    public init(compiler: String, compileFlags: [String], linkFlags: [String], libraries: [String], sources: [String],
                qemu: String, qemuArguments: [String], boardName: String) {
        self.compiler = compiler
        self.compileFlags = compileFlags
        self.linkFlags = linkFlags
        self.libraries = libraries
        self.sources = sources
        self.qemu = qemu
        self.qemuArguments = qemuArguments
        self.boardName = boardName
    }

    /// A word for make and the shell: quoted when it holds anything but
    /// plain characters (the model header define holds quotes).
    static func word(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_=./,+:".contains($0) }
        if plain { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "$", with: "$$") + "'"
    }

    static func list(_ words: [String]) -> String { words.map(word).joined(separator: " ") }

    public var text: String {
        let objects = sources.map { String($0.dropLast(2)) + ".o" }
        return """
        # Rebuilds firmware.elf for \(boardName) exactly as squeezec built it (generated; squeezec
        # replaces it when it writes this folder again). make: build; make run: run it under
        # QEMU on input.bin (output.bin is written); make clean: remove what make built.
        CC := \(Self.word(compiler))
        CFLAGS := \(Self.list(compileFlags))
        LDFLAGS := \(Self.list(linkFlags))
        LDLIBS := \(Self.list(libraries))
        SRCS := \(Self.list(sources))
        OBJS := \(Self.list(objects))
        QEMU := \(Self.word(qemu))

        .PHONY: all run clean

        all: firmware.elf

        %.o: %.c
        \t$(CC) $(CFLAGS) -c $< -o $@

        $(OBJS): $(wildcard *.h)

        firmware.elf: $(OBJS)
        \t$(CC) $(LDFLAGS) $(OBJS) $(LDLIBS) -o $@

        run: firmware.elf
        \t$(QEMU) \(Self.list(qemuArguments))

        clean:
        \trm -f $(OBJS) firmware.elf

        """
    }
}
