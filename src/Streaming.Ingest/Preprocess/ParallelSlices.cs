namespace Streaming.Ingest.Preprocess;

/// <summary>Runs a per-slice body sequentially or on up to maxDop threads, checking cancellation per slice.</summary>
internal static class ParallelSlices
{
    public static void For(int count, int maxDop, CancellationToken ct, Action<int> body)
    {
        if (maxDop <= 1 || count <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                body(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDop, CancellationToken = ct }, body);
    }
}
