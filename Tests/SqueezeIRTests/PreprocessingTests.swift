import Testing
@testable import SqueezeIR

@Suite struct PreprocessingTests {
    /// The diagnostic `body` throws, or nil if it succeeds.
    static func error(_ body: () throws -> Void) -> Diagnostic? {
        do {
            try body()
            return nil
        } catch {
            return error as? Diagnostic
        }
    }

    @Test func imageNetNormalisesLikeTorchvision() {
        let p = Preprocessing.imageNet
        // (128 / 255 - 0.485) / 0.229 by hand: 0.50196078 - 0.485 = 0.01696078; / 0.229 = 0.0740645.
        #expect(abs(p.normalise(128, channel: 0) - 0.0740645) < 1e-6)
        // Black, blue channel: -0.406 / 0.225 = -1.8044444.
        #expect(abs(p.normalise(0, channel: 2) + 1.8044444) < 1e-6)
        // White, green: (1 - 0.456) / 0.224 = 2.4285714.
        #expect(abs(p.normalise(255, channel: 1) - 2.4285714) < 1e-6)
        // 1/255 divides: bit for bit v / 255 as before.
        for v in [0.0, 1, 17.25, 128, 254.5, 255] {
            #expect(p.normalise(v, channel: 1) == (v / 255 - 0.456) / 0.224)
        }
    }

    @Test func digitsNumbersByHand() {
        let p = Preprocessing(mean: [0.3055], std: [0.3239], channels: .grey, resize: .none)
        // (255 / 255 - 0.3055) / 0.3239 = 0.6945 / 0.3239 = 2.14418030...
        #expect(abs(p.normalise(255, channel: 0) - 2.1441803) < 1e-6)
        // (0 - 0.3055) / 0.3239 = -0.94319234...
        #expect(abs(p.normalise(0, channel: 0) + 0.9431923) < 1e-6)
    }

    @Test func scaleParsesNumbersAndFractions() throws {
        #expect(Preprocessing.Scale(parsing: "1/255") == Preprocessing.Scale(1, over: 255))
        #expect(Preprocessing.Scale(parsing: " 2 / 255 ")?.value == 2.0 / 255)
        #expect(Preprocessing.Scale(parsing: "0.5")?.value == 0.5)
        #expect(Preprocessing.Scale(parsing: "1e-2")?.value == 0.01)
        for bad in ["", "0", "-1", "1/0", "a", "1/2/3", "nan", "inf", "0x10", "1/"] {
            #expect(Preprocessing.Scale(parsing: bad) == nil, "\(bad)")
        }
        #expect(Preprocessing.Scale(1, over: 255).description == "1/255")
        #expect(Preprocessing.Scale(0.5).description == "0.5")
        #expect(Preprocessing.Scale(1, over: 255).apply(51) == 0.2)
    }

    @Test func numbersAreCommaSeparatedFiniteDecimals() {
        #expect(Preprocessing.numbers("0.485,0.456, 0.406") == [0.485, 0.456, 0.406])
        #expect(Preprocessing.numbers("-1") == [-1])
        for bad in ["", "1,,2", "1,", "a,b", "nan", "1,inf", "1e999"] {
            #expect(Preprocessing.numbers(bad) == nil, "\(bad)")
        }
    }

    @Test func standardDependsOnChannelsAndOrder() {
        #expect(Preprocessing.standard(channels: 3) == .imageNet)
        #expect(Preprocessing.standard(channels: 1) == Preprocessing(mean: [0], std: [1], channels: .grey))
        #expect(Preprocessing.standard(channels: 3, order: .grey) == Preprocessing(mean: [0, 0, 0], std: [1, 1, 1], channels: .grey))
        let bgr = Preprocessing.standard(channels: 3, order: .bgr)
        #expect(bgr?.mean == [0.406, 0.456, 0.485] && bgr?.std == [0.225, 0.224, 0.229] && bgr?.channels == .bgr)
        #expect(Preprocessing.standard(channels: 2) == nil)
        #expect(Preprocessing.standard(channels: 1, order: .rgb) == Preprocessing(mean: [0], std: [1], channels: .grey))
    }

    @Test func checkNamesTheField() {
        let name: (PreprocessingOverrides.Field) -> String = { $0.option }
        #expect(Self.error { try Preprocessing.imageNet.check(channels: 3, name: name) } == nil)
        #expect(Self.error { try Preprocessing.imageNet.check(channels: 1, name: name) }?.message
            == "--channels rgb needs a 3-channel model; this one has 1 channel (use grey)")
        var p = Preprocessing.imageNet
        p.mean = [0.5, 0.5]
        #expect(Self.error { try p.check(channels: 3, name: name) }?.message == "--mean has 2 values; the model has 3 input channels")
        p = Preprocessing(mean: [0], std: [0], channels: .grey)
        #expect(Self.error { try p.check(channels: 1, name: name) }?.message == "--std must not be 0")
        p = Preprocessing(mean: [.nan], std: [1], channels: .grey)
        #expect(Self.error { try p.check(channels: 1, name: name) }?.message == "--mean must be finite numbers")
        #expect(Self.error { try Preprocessing.imageNet.check(channels: 4, name: name) }?.kind == .unsupported)
    }

    @Test func resolvedAppliesOverridesToTheDeclaredOrStandard() {
        let declared = Preprocessing(mean: [0.3, 0.3, 0.3], std: [0.2, 0.2, 0.2], channels: .grey, resize: .none)
        #expect(Preprocessing.resolved(PreprocessingOverrides(), over: declared, channels: 3) == declared)
        #expect(Preprocessing.resolved(PreprocessingOverrides(resize: .crop), over: declared, channels: 3)?.resize == .crop)
        #expect(Preprocessing.resolved(PreprocessingOverrides(), over: nil, channels: 3) == .imageNet)
        // Without a declared one the order picks the standard numbers.
        #expect(Preprocessing.resolved(PreprocessingOverrides(channels: .bgr), over: nil, channels: 3)?.mean == [0.406, 0.456, 0.485])
        #expect(Preprocessing.resolved(PreprocessingOverrides(mean: [1]), over: nil, channels: 5) == nil)
    }

    @Test func stepsDocumentTheNumbers() {
        let steps = Preprocessing.imageNet.steps(height: 224, width: 224)
        #expect(steps == [
            "resize crop: shorter side resized to 256 pixels (bilinear), centre 224x224 cropped",
            "channels rgb: channel 0 red, 1 green, 2 blue",
            "x[c] = (v[c] * 1/255 - mean[c]) / std[c], v = pixel value 0..255",
            "mean = 0.485,0.456,0.406, std = 0.229,0.224,0.225",
        ])
        #expect(Preprocessing(mean: [0], std: [1], channels: .grey, resize: .none).steps(height: 32, width: 32)[0]
            == "resize none: the image must be exactly 32x32 pixels")
        #expect(Preprocessing.imageNet.description == "rgb, scale 1/255, mean 0.485,0.456,0.406, std 0.229,0.224,0.225, resize crop")
    }
}
