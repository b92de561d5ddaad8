// Race amplification (--explore): a pause of random length at the
// boundaries of calls into the runtime, drawn from EA_JITTER_SEED so that a
// run can be replayed with the same pauses. No seed, no pause. The same
// rule and the same shape of pause as the C++ host
// (explored_pause in adapters/host/include/endaccept/host/jitter.hpp).
using System;
using System.Diagnostics;
using System.Threading;

namespace EndAcceptAdapter
{
    internal static class Jitter
    {
        private const int MaxMicros = 2000;
        private static readonly bool Enabled;
        private static long state;
        [ThreadStatic] private static bool offOnThisThread;

        // On a thread started from a release gate (release_tasks), where the
        // point is that the calls start together: no pauses on this thread.
        public static void OffOnThisThread() { offOnThisThread = true; }

        static Jitter()
        {
            string text = Environment.GetEnvironmentVariable("EA_JITTER_SEED");
            ulong seed;
            Enabled = !string.IsNullOrEmpty(text) && ulong.TryParse(text, out seed);
            if (Enabled) state = unchecked((long)ulong.Parse(text));
        }

        // splitmix64 over one shared counter.
        private static ulong Next()
        {
            ulong z = unchecked((ulong)Interlocked.Add(ref state, unchecked((long)0x9e3779b97f4a7c15UL)));
            z = unchecked((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94d049bb133111ebUL);
            return z ^ (z >> 31);
        }

        public static void Point()
        {
            if (!Enabled || offOnThisThread) return;
            ulong draw = Next();
            // Half of the points do not pause; the others pause for a length
            // spread evenly over the orders of magnitude from 1 µs to the maximum.
            if ((draw & 1) == 0) return;
            double fraction = (double)(draw >> 11) / (double)(1UL << 53);
            long micros = (long)Math.Pow(MaxMicros, fraction);
            // Thread.Sleep counts milliseconds; spin for the sub-millisecond rest.
            Stopwatch watch = Stopwatch.StartNew();
            if (micros >= 1000) Thread.Sleep((int)(micros / 1000));
            long ticks = micros * Stopwatch.Frequency / 1000000;
            while (watch.ElapsedTicks < ticks) Thread.SpinWait(20);
        }
    }
}
