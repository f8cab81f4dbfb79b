import Foundation
import SqueezeEvaluation
import SqueezeIR
import SqueezeTensorIO
import Testing

@Suite struct LabelledDatasetTests {
    /// A data folder: `layout` maps class folder -> file names (.npy files get
    /// a [1,1,2,2] tensor whose values are the class's position).
    static func folder(_ layout: [String: [String]], labels: String? = nil) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("squeezec-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, files) in layout {
            let dir = (root as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for file in files {
                let path = (dir as NSString).appendingPathComponent(file)
                if file.hasSuffix(".npy") {
                    try NpyFormat.write(NpyArray(shape: [1, 1, 2, 2], floats: [1, 2, 3, 4]), to: path)
                } else {
                    try Data("x".utf8).write(to: URL(fileURLWithPath: path))
                }
            }
        }
        if let labels { try Data(labels.utf8).write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent("labels.txt"))) }
        return root
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch let d as Diagnostic { return d.description } catch { return "\(error)" }
        return ""
    }

    @Test func sortedClassesInterleavedItems() throws {
        let root = try Self.folder(["cat": ["b.npy", "a.npy", ".DS_Store"], "ant": ["z.npy"], "dog": ["c.npy", "a.npy", "b.npy"]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let set = try LabelledDataset(directory: root)
        #expect(set.classes == ["ant", "cat", "dog"])
        #expect(set.items.map(\.name) == ["ant/z.npy", "cat/a.npy", "dog/a.npy", "cat/b.npy", "dog/b.npy", "dog/c.npy"])
        #expect(set.items.map(\.label) == [0, 1, 2, 1, 2, 2])
        #expect(set.items.map(\.index) == Array(0..<6))
        #expect(set.selection(limit: 4, shard: .whole).map(\.name) == ["ant/z.npy", "cat/a.npy", "dog/a.npy", "cat/b.npy"])
        #expect(set.selection(limit: nil, shard: Shard(index: 1, count: 2)).map(\.index) == [1, 3, 5])
        #expect(set.selection(limit: 3, shard: Shard(index: 1, count: 2)).map(\.index) == [1])
        let values = try LabelledDataset.load(set.items[0], for: ValueInfo(name: "x", type: TensorType(.float32, .nhwc(1, 2, 2, 1))))
        #expect(values == [1, 2, 3, 4])
        try set.check(outputs: 3)
        #expect(Self.message { try set.check(outputs: 10) }.contains("3 classes (folders) but the model has 10 outputs"))
    }

    @Test func labelsFileOrdersTheClasses() throws {
        let root = try Self.folder(["cat": ["a.npy"], "dog": ["a.npy"]], labels: "dog\n\ncat\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let set = try LabelledDataset(directory: root)
        #expect(set.classes == ["dog", "cat"])
        #expect(set.items.map(\.name) == ["dog/a.npy", "cat/a.npy"])
        #expect(set.items.map(\.label) == [0, 1])
    }

    @Test func clearErrors() throws {
        let unknown = try Self.folder(["a": ["x.npy"], "b": ["notes.txt"]])
        let empty = try Self.folder(["a": ["x.npy"], "b": []])
        let none = try Self.folder([:])
        let badLabels = try Self.folder(["a": ["x.npy"], "b": ["x.npy"]], labels: "a\n")
        let twice = try Self.folder(["a": ["x.npy"]], labels: "a\na\n")
        defer { for r in [unknown, empty, none, badLabels, twice] { try? FileManager.default.removeItem(atPath: r) } }
        let m1 = Self.message { _ = try LabelledDataset(directory: unknown) }
        #expect(m1.contains("b/notes.txt") && m1.contains("unknown file type"), "\(m1)")
        let m2 = Self.message { _ = try LabelledDataset(directory: empty) }
        #expect(m2.contains("class folder 'b' holds no inputs"), "\(m2)")
        #expect(Self.message { _ = try LabelledDataset(directory: none) }.contains("no class folders"))
        #expect(Self.message { _ = try LabelledDataset(directory: none + "/missing") }.contains("--data needs a folder"))
        #expect(Self.message { _ = try LabelledDataset(directory: badLabels) }.contains("folder 'b' is not listed"))
        #expect(Self.message { _ = try LabelledDataset(directory: twice) }.contains("listed twice"))
        for m in [m1, m2] { #expect(!m.contains("\n")) }
    }
}
