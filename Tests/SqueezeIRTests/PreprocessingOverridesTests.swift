import Testing
@testable import SqueezeIR

@Suite struct PreprocessingOverridesTests {
    static func parse(_ texts: [PreprocessingOverrides.Field: String]) throws(Diagnostic) -> PreprocessingOverrides {
        try PreprocessingOverrides(parsing: texts) { $0.metadataKey }
    }

    static func message(_ texts: [PreprocessingOverrides.Field: String]) -> String? {
        do {
            _ = try parse(texts)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func parsesEveryField() throws {
        let o = try Self.parse([.mean: "0.3055,0.3055,0.3055", .std: "0.3239,0.3239,0.3239", .scale: "1/255",
                                .channels: "grey", .resize: "none"])
        #expect(o.mean == [0.3055, 0.3055, 0.3055] && o.std == [0.3239, 0.3239, 0.3239])
        #expect(o.scale == Preprocessing.Scale(1, over: 255) && o.channels == .grey && o.resize == Preprocessing.Resize.none)
        #expect(o.fields == Set(PreprocessingOverrides.Field.allCases))
        #expect(try Self.parse([:]).isEmpty)
    }

    @Test func appliedReplacesOnlyTheSetFields() throws {
        let o = try Self.parse([.channels: "bgr", .scale: "0.5"])
        let p = o.applied(to: .imageNet)
        #expect(p.channels == .bgr && p.scale.value == 0.5 && p.mean == Preprocessing.imageNet.mean && p.resize == .crop)
    }

    @Test func badValuesNameTheKeyAndText() {
        #expect(Self.message([.mean: "0.5;0.5"]) == "squeezec.mean '0.5;0.5' is not a comma-separated list of numbers (e.g. 0.485,0.456,0.406)")
        #expect(Self.message([.std: "0.2,0,0.2"]) == "squeezec.std '0.2,0,0.2': a standard deviation of 0 divides by zero")
        #expect(Self.message([.scale: "1/0"]) == "squeezec.scale '1/0' is not a positive number or fraction (e.g. 1/255 or 0.5)")
        #expect(Self.message([.channels: "RGB"]) == "squeezec.channels 'RGB' is not rgb, bgr or grey")
        #expect(Self.message([.resize: "stretch"]) == "squeezec.resize 'stretch' is not crop or none")
        // Control characters and long texts are not echoed raw.
        let long = String(repeating: "x", count: 100)
        #expect(Self.message([.channels: "a\u{1b}b"]) == "squeezec.channels 'a?b' is not rgb, bgr or grey")
        #expect(Self.message([.channels: long])?.contains(String(repeating: "x", count: 40) + "...'") == true)
    }

    @Test func fieldNames() {
        #expect(PreprocessingOverrides.Field.mean.option == "--mean")
        #expect(PreprocessingOverrides.Field.resize.metadataKey == "squeezec.resize")
    }
}
