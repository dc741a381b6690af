using System.Numerics.Tensors;

namespace Orbitr.MusicGen.Generation;

/// <summary>Classifier-free guidance: the decoder runs a conditional and an unconditional half of the batch, and the
/// logits used for sampling are uncond + scale × (cond − uncond). Scale 1 is the conditional logits alone.</summary>
public static class ClassifierFreeGuidance
{
    public static void Combine(ReadOnlySpan<float> conditional, ReadOnlySpan<float> unconditional, float scale, Span<float> guided)
    {
        if (conditional.Length != unconditional.Length || guided.Length < conditional.Length)
            throw new ArgumentException("conditional, unconditional and guided logits must have the same length");
        var g = guided[..conditional.Length];
        TensorPrimitives.Subtract(conditional, unconditional, g);      // cond − uncond
        TensorPrimitives.MultiplyAdd(g, scale, unconditional, g);      // uncond + scale × (…)
    }
}
