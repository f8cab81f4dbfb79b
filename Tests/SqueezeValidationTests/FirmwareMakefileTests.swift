import Testing
@testable import SqueezeValidation

@Suite struct FirmwareMakefileTests {
    static let makefile = FirmwareMakefile(
        compiler: "arm-none-eabi-gcc", compileFlags: ["-mcpu=cortex-m4", "-O2", "-DSQ_MODEL_HEADER=\"model.h\"", "-DX=$HOME"],
        linkFlags: ["-T", "board.ld"], libraries: ["-lm"], sources: ["model.c", "model_weights.c"],
        qemu: "qemu-system-arm", qemuArguments: ["-M", "netduinoplus2", "-kernel", "firmware.elf"], boardName: "netduinoplus2")

    @Test func plainWordsStayAndOthersAreQuotedForMakeAndTheShell() {
        #expect(FirmwareMakefile.word("-mcpu=cortex-m4") == "-mcpu=cortex-m4")
        #expect(FirmwareMakefile.word("-DSQ_MODEL_HEADER=\"model.h\"") == "'-DSQ_MODEL_HEADER=\"model.h\"'")
        // make sees $$ as one $; the shell's single quotes keep it literal.
        #expect(FirmwareMakefile.word("-DX=$HOME") == "'-DX=$$HOME'")
        #expect(FirmwareMakefile.word("it's") == "'it'\\''s'")
    }

    @Test func objectsAreNamedAfterTheirSourcesAndRulesUseTabs() {
        let text = Self.makefile.text
        #expect(text.contains("OBJS := model.o model_weights.o\n"))
        #expect(text.contains("CFLAGS := -mcpu=cortex-m4 -O2 '-DSQ_MODEL_HEADER=\"model.h\"' '-DX=$$HOME'\n"))
        #expect(text.contains("firmware.elf: $(OBJS)\n\t$(CC) $(LDFLAGS) $(OBJS) $(LDLIBS) -o $@\n"))
        #expect(text.contains("run: firmware.elf\n\t$(QEMU) -M netduinoplus2 -kernel firmware.elf\n"))
        #expect(!text.contains("\n    \t") && !text.contains("\n        "), "no indentation left over from the literal")
    }
}
