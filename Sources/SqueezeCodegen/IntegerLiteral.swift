/// Integer array bodies for the int8 weight tables.
enum IntegerLiteral {
    static func appendArrayBody(_ values: [Int], perLine: Int, indent: String = "    ", to out: inout String) {
        for start in stride(from: 0, to: values.count, by: perLine) {
            out += indent
            let end = min(start + perLine, values.count)
            for index in start..<end {
                // INT32_MIN has no literal of type int: write it as an expression.
                out += values[index] == Int(Int32.min) ? "(-2147483647 - 1)" : String(values[index])
                out += index + 1 < values.count ? (index + 1 < end ? ", " : ",") : ""
            }
            out += "\n"
        }
    }
}
