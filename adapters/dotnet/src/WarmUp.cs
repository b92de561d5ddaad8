// What the runtime does once per process, done before the harness takes any
// descriptor baseline, so that a one-time allocation of the runtime is never
// counted as a leak of the implementation under test.
using System;
using System.Threading;

namespace EndAcceptAdapter
{
    public static class WarmUp
    {
        public static void Run()
        {
            // .NET Core 3.1 and .NET 8 open a pipe pair the first time they
            // handle an exception; the first rejected EndAccept of a case
            // would otherwise be the one to open it.
            try
            {
                throw new InvalidOperationException("warm-up");
            }
            catch (InvalidOperationException)
            {
            }
            // Mono's pool has no such abort; its threads are left as they are.
            if (!RuntimeInfo.IsMono) StartPoolThreads();
        }

        // .NET 8 aborts the process (an OutOfMemoryException from
        // Thread.StartCore) when its thread pool adds a worker while the
        // descriptor table is full, as the EMFILE cases make it. Workers
        // started now, while descriptors are free, are there to be reused.
        private const int PoolThreads = 8;

        private static void StartPoolThreads()
        {
            int workers, completionPorts;
            ThreadPool.GetMinThreads(out workers, out completionPorts);
            ThreadPool.SetMinThreads(Math.Max(workers, PoolThreads), completionPorts);
            // Not disposed: a worker may still be touching them after the wait.
            var allStarted = new CountdownEvent(PoolThreads);
            var release = new ManualResetEventSlim(false);
            for (int i = 0; i < PoolThreads; i++)
            {
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    allStarted.Signal();
                    release.Wait(TimeSpan.FromSeconds(5));
                });
            }
            // Bounded: a pool that is slow to grow only makes the warm-up shorter.
            allStarted.Wait(TimeSpan.FromSeconds(5));
            release.Set();
        }
    }
}
