using static TorchSharp.torch;

namespace Streaming.Training.Loop;

/// <summary>Captures and restores torch's default CPU generator (used at init and by any random op in a method).</summary>
public static class RngState
{
    public static byte[] Capture()
    {
        using var s = get_rng_state();
        return s.bytes.ToArray();
    }

    public static void Restore(byte[] state)
    {
        using var current = get_rng_state();
        if (current.numel() != state.Length)
            throw new InvalidDataException($"torch RNG state has {state.Length} bytes, this libtorch expects {current.numel()}");
        using var t = tensor(state, dtype: ScalarType.Byte);
        set_rng_state(t);
    }
}
