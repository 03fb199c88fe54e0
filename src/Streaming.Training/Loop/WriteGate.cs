namespace Streaming.Training.Loop;

/// <summary>
/// Shared by the training thread and the "stop now" handler of a second signal: checkpoint and export writes run
/// inside the gate, and the handler closes it, which waits for a write in flight to finish and keeps any further
/// write from starting (the writer blocks; the process is about to end). So a second signal never leaves a torn file.
/// </summary>
public sealed class WriteGate
{
    private readonly Lock sync = new();
    private string? lastCheckpoint;
    private long savedAt = -1;

    /// <summary>Runs <paramref name="write"/> unless the gate is closed (then blocks until the process ends).</summary>
    public T Write<T>(Func<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (sync) return write();
    }

    /// <summary>Records a checkpoint that is complete on disk.</summary>
    public void Saved(string path, long step)
    {
        lock (sync) { lastCheckpoint = path; savedAt = step; }
    }

    /// <summary>
    /// Closes the gate for good: waits up to <paramref name="timeout"/> for a write in flight (a torn write stays a temp
    /// file that no reader takes), then returns the newest complete checkpoint and whether the wait was in time.
    /// </summary>
    public (string? Checkpoint, long Step, bool InTime) Close(TimeSpan timeout)
    {
        var inTime = sync.TryEnter(timeout); // never released: the caller ends the process
        return (Volatile.Read(ref lastCheckpoint), Volatile.Read(ref savedAt), inTime);
    }
}
