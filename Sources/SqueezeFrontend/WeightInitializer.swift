import SqueezeIR

/// Deterministic weights for built-in models, so every test and benchmark has
/// non-trivial numbers without a trained file.
///
/// - Convolutions: Kaiming/He uniform, U(-b, b) with b = sqrt(6 / fan_in), which
///   keeps activations at a steady scale through ReLU layers.
/// - The classifier (conv10): U(-b, b) with b = 0.01 * sqrt(3), i.e. std 0.01.
/// - Biases: never zero: U(-0.05, 0.1), so bias handling is exercised.
/// Each tensor has its own stream derived from (seed, tensor name).
public struct WeightInitializer: Sendable {
    public var seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    public func convWeight(name: String, outChannels: Int, kernel: Size2, inChannels: Int, classifier: Bool = false) -> Tensor {
        let fanIn = Float(kernel.h * kernel.w * inChannels)
        let bound = classifier ? 0.01 * Float(3).squareRoot() : (6 / fanIn).squareRoot()
        var random = SeededRandom(seed: seed, stream: name)
        let count = outChannels * kernel.h * kernel.w * inChannels
        let values = (0..<count).map { _ in random.uniform(-bound, bound) }
        return Tensor(shape: TensorShape([outChannels, kernel.h, kernel.w, inChannels]), floats: values)
    }

    public func bias(name: String, count: Int) -> Tensor {
        var random = SeededRandom(seed: seed, stream: name)
        let values = (0..<count).map { _ in random.uniform(-0.05, 0.1) }
        return Tensor(shape: TensorShape([count]), floats: values)
    }
}
