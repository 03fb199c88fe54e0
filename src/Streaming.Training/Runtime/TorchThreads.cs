using static TorchSharp.torch;

namespace Streaming.Training.Runtime;

/// <summary>Sets libtorch's intra-op threads: the configured count, or (0) the CPUs really available.</summary>
public static class TorchThreads
{
    /// <summary>Applies the thread count and says what was chosen and why (for the run's start event).</summary>
    public static string Apply(int configured)
    {
        var budget = CpuBudget.Read();
        var threads = configured > 0 ? configured : budget.Available;
        set_num_threads(threads);
        var why = configured > 0 ? "from the config" : "= CPUs available";
        return $"torch threads {get_num_threads()} ({why}; {budget}; OMP_WAIT_POLICY={OpenMpPolicy.Native() ?? "unset"})";
    }
}
