using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Sources;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>
/// The typed choice of method: one immutable record per method, holding its model, loss and sampling settings with
/// their defaults (so a method's defaults live in its record, never in a loader). A method is (batch source, model,
/// loss, exported feature extractor): <see cref="MethodOptions{TBatch}"/> makes the first two halves, this base the
/// parts that do not depend on the batch type. Register a new method's YAML mapping in Config/MethodCatalog.cs.
/// </summary>
public abstract record MethodOptions
{
    /// <summary>The method's name in configs (<c>method:</c>), checkpoints and backbone.json.</summary>
    public abstract string Name { get; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the config key.</summary>
    public abstract void Validate();

    /// <summary>
    /// A freshly initialised feature extractor of this architecture (what is exported; the random-init baseline; the
    /// shell an export is loaded into). Initialisation draws from torch's global generator.
    /// </summary>
    public abstract FeatureExtractor CreateFeatures();

    /// <summary>How cached intensities become the network's input in training (recorded in backbone.json).</summary>
    public abstract InputScaling InputScaling { get; }

    /// <summary>The extent (x, y, z) the network sees in training (recorded in backbone.json; embed's default window).</summary>
    public abstract Int3 PatchShape { get; }

    /// <summary>Calls <paramref name="visitor"/> with the method's batch type bound (how the loop gets generic).</summary>
    public abstract TResult Accept<TResult>(IMethodVisitor<TResult> visitor);
}

/// <summary>A method whose batches are <typeparamref name="TBatch"/>.</summary>
public abstract record MethodOptions<TBatch> : MethodOptions where TBatch : IBatch
{
    /// <summary>Model and loss, freshly initialised (torch's global generator, seeded by the loop).</summary>
    public abstract IPretrainMethod<TBatch> CreateMethod();

    /// <summary>
    /// The batch source over cached volumes: keys from <paramref name="seed"/> (the run's seed unless the method's own
    /// sampling seed is set), skip rule with the run's <paramref name="ledger"/> (which the loop checkpoints).
    /// </summary>
    public abstract ILedgeredSource<TBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger);

    public sealed override TResult Accept<TResult>(IMethodVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Generic dispatch on a method's batch type (see <see cref="MethodOptions.Accept"/>).</summary>
public interface IMethodVisitor<out TResult>
{
    TResult Visit<TBatch>(MethodOptions<TBatch> method) where TBatch : IBatch;
}
