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
using System.Net.Sockets;
using System.Threading;

namespace EndAcceptAdapter
{
    public sealed class CallbackInvocation
    {
        public bool OnBeginThread;
        public bool BeginReturned;
        public IAsyncResult Result;
        // The description of the result's AsyncState, taken while the
        // callback ran: never the object, so that no record keeps a state
        // object alive behind the implementation's back (forget_state).
        public object AsyncState;
        // The outcomes of the calls the callback body made, by kind of callback.
        public JsonObject EndOutcome;   // end_in_callback, begin_again, close_listener
        public JsonObject BeginOutcome; // begin_again
        public JsonObject CloseOutcome; // close_listener
    }

    // What a callback does after recording how it was called; it writes the
    // outcomes of its calls into the invocation.
    public delegate void CallbackBody(IAsyncResult ar, CallbackInvocation invocation);

    public sealed class CallbackRecorder
    {
        private readonly object beginLock = new object();
        private bool beginReturned;
        private int beginThreadId;
        private IAsyncResult beginResult;

        private readonly Func<object, object> describe;
        private readonly CallbackBody body;
        private readonly List<CallbackInvocation> invocations = new List<CallbackInvocation>();
        private readonly object invocationsGate = new object();

        // describe: an AsyncState as the protocol describes it. body: null to
        // only record.
        public CallbackRecorder(Func<object, object> describe, CallbackBody body)
        {
            this.describe = describe;
            this.body = body;
        }

        // BeginAccept(this recorder's callback, state). No closure here or in
        // the callback captures the state: it travels only through the
        // implementation.
        public IAsyncResult Begin(Socket listener, object state)
        {
            lock (beginLock)
            {
                beginThreadId = Thread.CurrentThread.ManagedThreadId;
                IAsyncResult result = listener.BeginAccept(OnCallback, state);
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
                invocation.AsyncState = ar == null ? null : describe(ar.AsyncState);
                if (body != null) body(ar, invocation);
            }
            catch (Exception e)
            {
                // An exception escaping a callback would take the process down
                // on .NET; the adapter must keep answering.
                Console.Error.WriteLine("adapter: callback failed: " + e);
            }
            // Only now, with the body finished, does the invocation count.
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
