namespace PcapLab.Testing;

/// <summary>Measures what a piece of steady-state work allocates on the calling thread.</summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="pass"/> once to warm up, then <paramref name="rounds"/> more times, and returns the fewest bytes
    /// any measured round allocated. A per-item allocation shows in every round; a one-off (a JIT-ed patch point, a type
    /// loaded late on a busy machine) shows in one at most, so it cannot fail the test by chance.
    /// </summary>
    public static long SteadyState(Action pass, int rounds = 3)
    {
        pass();
        long fewest = long.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
