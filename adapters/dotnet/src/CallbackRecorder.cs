// Records the invocations of the callback handed to one BeginAccept, for
// `callback_info`.
//
// "Did BeginAccept return before the callback ran?" is answered without a
// race by the protocol's reentrant-lock rule: BeginAccept is called, and
// beginReturned set, while beginLock (a Monitor, hence reentrant) is held.
// A callback takes the same lock before reading the flag: run inline on the
// calling thread it re-enters and sees false; run on another thread it waits
// for BeginAccept to return and sees true.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace EndAcceptAdapter
{
    public sealed class CallbackInvocation
    {
        public bool OnBeginThread;
        public bool BeginReturned;
        public IAsyncResult Result;
        public object AsyncState;
        public JsonObject EndOutcome; // only for end_in_callback
    }

    public sealed class CallbackRecorder
    {
        private readonly object beginLock = new object();
        private bool beginReturned;
        private int beginThreadId;
        private IAsyncResult beginResult;

        private readonly Func<IAsyncResult, JsonObject> endInCallback;
        private readonly List<CallbackInvocation> invocations = new List<CallbackInvocation>();
        private readonly object invocationsGate = new object();

        // endInCallback: null to only record; otherwise what the callback does
        // after recording, returning the outcome of its EndAccept.
        public CallbackRecorder(Func<IAsyncResult, JsonObject> endInCallback)
        {
            this.endInCallback = endInCallback;
        }

        public IAsyncResult Begin(Func<AsyncCallback, IAsyncResult> beginAccept)
        {
            lock (beginLock)
            {
                beginThreadId = Thread.CurrentThread.ManagedThreadId;
                IAsyncResult result = beginAccept(OnCallback);
                beginResult = result;
                beginReturned = true;
                return result;
            }
        }

        private void OnCallback(IAsyncResult ar)
        {
            var invocation = new CallbackInvocation();
            lock (beginLock)
            {
                invocation.BeginReturned = beginReturned;
                invocation.OnBeginThread = Thread.CurrentThread.ManagedThreadId == beginThreadId;
            }
            invocation.Result = ar;
            try
            {
                invocation.AsyncState = ar == null ? null : ar.AsyncState;
                if (endInCallback != null) invocation.EndOutcome = endInCallback(ar);
            }
            catch (Exception e)
            {
                // An exception escaping a callback would take the process down
                // on .NET; the adapter must keep answering.
                Console.Error.WriteLine("adapter: callback failed: " + e);
            }
            lock (invocationsGate)
            {
                invocations.Add(invocation);
                Monitor.PulseAll(invocationsGate);
            }
        }

        // Waits until at least minCalls invocations were recorded or the
        // timeout passed, then returns a snapshot of all of them.
        public List<CallbackInvocation> WaitFor(int minCalls, int timeoutMs)
        {
            var deadline = Deadline.After(timeoutMs);
            lock (invocationsGate)
            {
                while (invocations.Count < minCalls)
                {
                    int remaining = deadline.RemainingMs();
                    if (remaining <= 0) break;
                    Monitor.Wait(invocationsGate, remaining);
                }
                return new List<CallbackInvocation>(invocations);
            }
        }

        // Compared when asked, not when the callback ran: a callback run
        // before BeginAccept returned could not know the result yet.
        public bool IsBeginResult(IAsyncResult ar)
        {
            lock (beginLock) return beginResult != null && ReferenceEquals(beginResult, ar);
        }
    }

    // A point in monotonic time, for waits that loop over spurious wake-ups.
    public struct Deadline
    {
        private readonly long endTicks;

        private Deadline(long endTicks) { this.endTicks = endTicks; }

        public static Deadline After(int timeoutMs)
        {
            long ticks = (long)Math.Max(0, timeoutMs) * Stopwatch.Frequency / 1000;
            return new Deadline(Stopwatch.GetTimestamp() + ticks);
        }

        public int RemainingMs()
        {
            long left = endTicks - Stopwatch.GetTimestamp();
            if (left <= 0) return 0;
            return (int)Math.Min(int.MaxValue, (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
        }
    }
}
