using Apache.Arrow;

namespace Streaming.Shards.Format;

/// <summary>
/// Keeps the last few decoded (and verified) chunks of one reader, so overlapping patches from the same volume —
/// e.g. vox2vec's positive pairs — do not decode shared chunks twice. Owns the batches: evicted ones are disposed.
/// </summary>
internal sealed class ChunkLru(int capacity) : IDisposable
{
    private readonly Dictionary<int, LinkedListNode<(int Index, RecordBatch Batch)>> _map = new();
    private readonly LinkedList<(int Index, RecordBatch Batch)> _order = new();

    public int Capacity => capacity;

    public bool TryGet(int index, out RecordBatch batch)
    {
        if (_map.TryGetValue(index, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            batch = node.Value.Batch;
            return true;
        }
        batch = null!;
        return false;
    }

    public void Add(int index, RecordBatch batch)
    {
        if (_map.Count >= capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _map.Remove(last.Value.Index);
            last.Value.Batch.Dispose();
        }
        _map[index] = _order.AddFirst((index, batch));
    }

    public void Dispose()
    {
        foreach (var (_, b) in _order) b.Dispose();
        _order.Clear();
        _map.Clear();
    }
}
