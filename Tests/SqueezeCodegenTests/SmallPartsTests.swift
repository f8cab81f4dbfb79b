import SqueezeIR
import Testing
@testable import SqueezeCodegen

@Suite struct SmallPartsTests {
    @Test func printerScopesIndent() {
        var p = CPrinter()
        p.comment(["one", "two */ three"])
        p.scope("int f(void)") { p in
            p.scope("if (x)") { p in p.line("return 1;") }
            p.line("return 0;")
        }
        #expect(p.text == "/*\n * one\n * two * / three\n */\nint f(void) {\n    if (x) {\n        return 1;\n    }\n    return 0;\n}\n")
    }

    @Test func identifiersAreValidAndUnique() {
        var ids = CIdentifier()
        #expect(ids.identifier(for: "fire2/squeeze1x1") == "fire2_squeeze1x1")
        #expect(ids.identifier(for: "fire2.squeeze1x1") == "fire2_squeeze1x1_2")
        #expect(ids.identifier(for: "fire2/squeeze1x1") == "fire2_squeeze1x1")
        #expect(ids.identifier(for: "/features.3/Conv") == "features_3_Conv")
        #expect(ids.identifier(for: "3x3") == "l3x3")
        #expect(ids.identifier(for: "///") == "layer")
        #expect(CIdentifier.isValidPrefix("squeezenet_v11"))
        #expect(!CIdentifier.isValidPrefix("9lives"))
        #expect(!CIdentifier.isValidPrefix("a-b"))
    }

    @Test func floatLiteralsRoundTrip() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random))
            guard value.isFinite, let literal = FloatLiteral.c(value) else { continue }
            #expect(literal.hasSuffix("f"))
            #expect(Float(String(literal.dropLast())) == value, "\(literal)")
        }
        #expect(FloatLiteral.c(1) == "1.0f")
        #expect(FloatLiteral.c(.infinity) == nil)
        #expect(FloatLiteral.c(.nan) == nil)
    }

    @Test func packingPutsFourOutputChannelsInnermost() {
        // cout 5, 1x1, cin 2: OHWI = [[1,2],[3,4],[5,6],[7,8],[9,10]].
        let packed = BlockedWeightEncoding.pack([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], cout: 5, kh: 1, kw: 1, cin: 2)
        #expect(packed == [1, 3, 5, 7, 2, 4, 6, 8, 9, 0, 0, 0, 10, 0, 0, 0])
        // 3x3 taps sit between blocks and input channels.
        let w = (0..<(4 * 9 * 1)).map(Float.init)
        let p = BlockedWeightEncoding.pack(w, cout: 4, kh: 3, kw: 3, cin: 1)
        #expect(Array(p[0..<4]) == [0, 9, 18, 27])
        #expect(Array(p[4..<8]) == [1, 10, 19, 28])
    }

    @Test func templatePlaceholdersMustMatch() throws {
        #expect(try TemplateRenderer.render("a {{X}} b", name: "t", values: ["X": "1"]) == "a 1 b")
        #expect(throws: Diagnostic.self) { try TemplateRenderer.render("a {{X}}", name: "t", values: [:]) }
        #expect(throws: Diagnostic.self) { try TemplateRenderer.render("a", name: "t", values: ["X": "1"]) }
        #expect(throws: Diagnostic.self) { try TemplateRenderer.render("a {{X", name: "t", values: ["X": "1"]) }
    }

    @Test func rowPipelineProducesEachRowOnceAndInTime() {
        var p = CPrinter()
        let a = RowPipeline.Stage(counter: "a", height: 7, kernel: 1, stride: 1, padTop: 0) { p, row in p.line("A(\(row));") }
        let b = RowPipeline.Stage(counter: "b", height: 3, kernel: 3, stride: 2, padTop: 0) { p, row in p.line("B(\(row));") }
        RowPipeline(stages: [a, b]).emit(&p)
        #expect(p.text == """
            int a = 0, b = 0;
            for (; b <= 2; ++b) {
                for (; a <= SQ_MIN(b * 2 + 2, 6); ++a) {
                    A(a);
                }
                B(b);
            }

            """)
    }
}
