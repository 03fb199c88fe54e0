using Streaming.Shards.Format;

namespace Streaming.Sampling.Sources;

/// <summary>One worker's open readers (IShardVolume is not thread-safe), least recently used closed beyond a cap.</summary>
public sealed class ReaderCache(Func<ShardVolumeInfo, IShardVolume> open, int capacity) : IDisposable
{
    private readonly Dictionary<string, (IShardVolume Reader, long Used)> _open = new(StringComparer.Ordinal);
    private long _clock;

    public IShardVolume Get(ShardVolumeInfo info)
    {
        if (_open.TryGetValue(info.Id, out var e))
        {
            _open[info.Id] = (e.Reader, ++_clock);
            return e.Reader;
        }
        if (_open.Count >= capacity)
        {
            var oldest = _open.MinBy(kv => kv.Value.Used);
            oldest.Value.Reader.Dispose();
            _open.Remove(oldest.Key);
        }
        var r = open(info) ?? throw new InvalidOperationException($"the volume opener returned null for '{info.Id}'");
        _open[info.Id] = (r, ++_clock);
        return r;
    }

    /// <summary>Closes a reader after a failure so a retry starts from a fresh one.</summary>
    public void Drop(string id)
    {
        if (_open.Remove(id, out var e)) e.Reader.Dispose();
    }

    public void Dispose()
    {
        foreach (var e in _open.Values) e.Reader.Dispose();
        _open.Clear();
    }
}
