// An EndAccept made on its own thread (`end_accept` with `task`), so that the
// harness can observe a call that blocks.
using System;
using System.Threading;

namespace EndAcceptAdapter
{
    public sealed class BackgroundCall
    {
        private readonly ManualResetEvent done = new ManualResetEvent(false);
        private JsonObject reply;

        private BackgroundCall() { }

        // `call` returns the fields of the await_task reply: at least "outcome".
        public static BackgroundCall Start(string label, Func<JsonObject> call)
        {
            var task = new BackgroundCall();
            // A dedicated background thread rather than the thread pool: the
            // call may block indefinitely, and it must not keep the process
            // alive when stdin closes.
            var thread = new Thread(() => task.Run(call));
            thread.IsBackground = true;
            thread.Name = label;
            thread.Start();
            return task;
        }

        private void Run(Func<JsonObject> call)
        {
            JsonObject result;
            try
            {
                result = call();
            }
            catch (Exception e)
            {
                result = new JsonObject();
                result["outcome"] = Outcomes.FromException(e);
            }
            Volatile.Write(ref reply, result);
            done.Set();
        }

        // The reply fields, or null if the call has not finished within timeoutMs.
        public JsonObject Wait(int timeoutMs)
        {
            return done.WaitOne(Math.Max(0, timeoutMs)) ? Volatile.Read(ref reply) : null;
        }
    }

    // Where a parked background call waits until release_tasks opens it. It
    // spins, yielding now and then, so that every call opened together starts
    // within nanoseconds of the others; a sleeping thread would wake too late.
    public sealed class StartGate
    {
        private int open;

        public void Open() { Volatile.Write(ref open, 1); }

        public void WaitUntilOpen()
        {
            for (long spins = 1; Volatile.Read(ref open) == 0; spins++)
                if (spins % 4096 == 0) Thread.Yield();
        }
    }
}
