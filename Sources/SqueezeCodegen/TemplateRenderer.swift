import SqueezeIR
import Foundation

/// Fills `{{NAME}}` placeholders of a template file. Every placeholder must be
/// given and every given value must be used, so templates and emitters cannot
/// drift apart silently.
public enum TemplateRenderer {
    public static func render(_ template: String, name: String, values: [String: String]) throws(Diagnostic) -> String {
        var out = ""
        var used = Set<String>()
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw Diagnostic.internal("template \(name): unclosed '{{'")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[key] else { throw Diagnostic.internal("template \(name): no value for {{\(key)}}") }
            out += value
            used.insert(key)
            rest = rest[close.upperBound...]
        }
        out += rest
        if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw Diagnostic.internal("template \(name): {{\(unused)}} is never used")
        }
        return out
    }
}
