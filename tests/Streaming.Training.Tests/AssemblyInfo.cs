// libtorch's random generator and intra-op thread count are process-global: tests that seed or set threads must not
// interleave, or "bitwise identical" runs stop being identical.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
