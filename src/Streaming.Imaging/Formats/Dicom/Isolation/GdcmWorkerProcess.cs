using System.Diagnostics;

namespace Streaming.Imaging.Formats.Dicom.Isolation;

/// <summary>
/// One running worker host and its pipes. Not thread-safe: the pool lends it to one caller at a time.
/// When the host dies mid-batch, <see cref="WorkerDiedException"/> says at which file of the batch and with which signal.
/// </summary>
internal sealed class GdcmWorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BinaryWriter _input;
    private readonly BinaryReader _output;
    private readonly Queue<string> _stderrTail = new();
    private readonly Lock _tailGate = new();

    private GdcmWorkerProcess(Process process)
    {
        _process = process;
        _input = new BinaryWriter(new BufferedStream(process.StandardInput.BaseStream, 1 << 16));
        _output = new BinaryReader(new BufferedStream(process.StandardOutput.BaseStream, 1 << 20));
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_tailGate)
            {
                _stderrTail.Enqueue(e.Data);
                while (_stderrTail.Count > 8) _stderrTail.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    public bool Alive => !_process.HasExited;

    /// <summary>CPU time the worker process has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            try { _process.Refresh(); return _process.TotalProcessorTime; }
            catch (InvalidOperationException) { return TimeSpan.Zero; }
        }
    }

    public static GdcmWorkerProcess Start(GdcmWorkerLocation location)
    {
        var psi = new ProcessStartInfo(location.Host)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in location.Arguments) psi.ArgumentList.Add(a);
        // The worker holds one file's pixels at a time: keep its GC small and quiet.
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_GCgen0size"] = "0x4000000";
        try { return new GdcmWorkerProcess(Process.Start(psi) ?? throw new IOException("Process.Start returned null")); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new IOException($"cannot start the DICOM worker ({location}): {e.Message}", e);
        }
    }

    /// <summary>Sends one request and dispatches the replies until Done. <paramref name="onReply"/> reads each reply's payload.</summary>
    public void Run(byte op, IReadOnlyList<string> paths, Action<byte, int, BinaryReader> onReply, TimeSpan perFileTimeout, CancellationToken ct)
    {
        var current = -1;
        var timedOut = false;
        using var watchdog = new Timer(_ => { timedOut = true; Kill(); }, null, perFileTimeout, Timeout.InfiniteTimeSpan);
        using var cancel = ct.Register(Kill);
        try
        {
            GdcmWire.WriteRequest(_input, op, paths);
            while (true)
            {
                var kind = _output.ReadByte();
                if (kind == GdcmWire.Done) return;
                var index = _output.ReadInt32();
                if (kind == GdcmWire.Start)
                {
                    current = index;
                    watchdog.Change(perFileTimeout, Timeout.InfiniteTimeSpan);
                    continue;
                }
                onReply(kind, index, _output);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException)
        {
            ct.ThrowIfCancellationRequested();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) Kill();
            _process.WaitForExit();
            var code = _process.ExitCode;
            // .NET reports a child killed by signal N as exit code 128 + N.
            var signal = code > 128 ? code - 128 : 0;
            throw new WorkerDiedException(current, signal, timedOut ? $"no reply within {perFileTimeout.TotalSeconds:0} s; the worker was stopped" : StderrTail());
        }
    }

    private string StderrTail()
    {
        Thread.Sleep(20); // let the stderr reader catch the last lines (the assertion text)
        lock (_tailGate)
            return string.Join(" | ", _stderrTail.Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(2));
    }

    private void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }

    public void Dispose()
    {
        try { _input.Dispose(); } catch (IOException) { }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(2))) Kill();
        _process.Dispose();
    }
}

/// <summary>The worker died during a batch: at file <see cref="Index"/> of it (-1: before any file), with <see cref="Signal"/> (0: not a signal).</summary>
internal sealed class WorkerDiedException(int index, int signal, string detail) : Exception($"DICOM worker died at file {index} with signal {signal}: {detail}")
{
    public int Index { get; } = index;
    public int Signal { get; } = signal;
    public string Detail { get; } = detail;
}

/// <summary>How to start the worker host: the dotnet host running streaming-dicom-worker.dll beside this assembly.</summary>
public sealed record GdcmWorkerLocation(string Host, IReadOnlyList<string> Arguments)
{
    public const string AssemblyFile = "streaming-dicom-worker.dll";

    /// <summary>$STREAMING_DICOM_WORKER (a .dll) or streaming-dicom-worker.dll in the application folder.</summary>
    public static GdcmWorkerLocation Default()
    {
        var dll = Environment.GetEnvironmentVariable("STREAMING_DICOM_WORKER") is { Length: > 0 } env ? env : Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(dll))
            throw new FileNotFoundException($"the DICOM worker {dll} is missing; rebuild the solution (src/Streaming.DicomWorker) or set STREAMING_DICOM_WORKER", dll);
        return new GdcmWorkerLocation(DotnetHost(), [dll]);
    }

    /// <summary>The dotnet executable running this process, else the one on PATH.</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)) return h;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }

    public override string ToString() => $"{Host} {string.Join(' ', Arguments)}";
}
