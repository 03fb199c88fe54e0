// libtorch's random generator is process-global: a test that seeds it and builds a network must not interleave with
// another that does the same, or "same seed, same init" stops holding.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
