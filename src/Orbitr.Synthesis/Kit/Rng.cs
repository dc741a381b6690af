namespace Orbitr.Synthesis.Kit;

/// <summary>xorshift32: a tiny PRNG with the same sequence on every machine and runtime, so the kit is bit-identical everywhere.</summary>
internal struct Rng(uint seed)
{
    private uint _state = seed == 0 ? 0x9E3779B9u : seed;

    /// <summary>Uniform in [−1, 1).</summary>
    public float NextNoise()
    {
        var x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return (x >> 8) * (2f / (1 << 24)) - 1f;
    }
}
