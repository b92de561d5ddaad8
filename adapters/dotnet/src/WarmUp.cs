// What the runtime does once per process, done before the harness takes any
// descriptor baseline, so that a one-time allocation of the runtime is never
// counted as a leak of the implementation under test.
using System;

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
        }
    }
}
