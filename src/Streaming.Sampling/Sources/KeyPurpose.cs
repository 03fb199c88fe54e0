namespace Streaming.Sampling.Sources;

/// <summary>
/// The last part of a random key says what the stream is for, so two draw sites never share a stream. Keys are
/// derived as (seed, step, ...): per slot (seed, step, slot, attempt, purpose, ...), per batch item
/// (seed, step, <see cref="Augment"/>, item, view, transform). Parts are negative so they never collide with the
/// non-negative step, slot, item and view numbers. A new batch kind takes new values from <see cref="FirstFree"/>
/// down; changing an existing value changes every batch of that kind.
/// </summary>
public static class KeyPurpose
{
    /// <summary>Per-item view augmentation: stepKey.With(Augment).With(item).With(view).</summary>
    public const long Augment = -1;
    /// <summary>The slot's volume pick: slotKey.With(Volume). Used by <see cref="SourceCore{TScratch}"/> itself.</summary>
    public const long Volume = -2;
    /// <summary>vox2vec: pair p of the slot: slotKey.With(Pair).With(p).</summary>
    public const long Pair = -3;
    /// <summary>SAL slices: the slot's slice indices, window origin and per-view shifts: slotKey.With(Slices).</summary>
    public const long Slices = -4;
    /// <summary>The first value a new kind may use (then -6, -7, ...).</summary>
    public const long FirstFree = -5;
}
