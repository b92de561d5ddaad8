// The operations around the contract under test: BeginAccept, EndAccept and
// the IAsyncResult they share.
using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;

namespace EndAcceptAdapter
{
    public sealed partial class Operations
    {
        private JsonObject BeginAccept(Args args)
        {
            Socket listener = sockets.Get(args.Name("socket"));
            string resultName = args.Name("result");
            string callbackKind = args.OptionalString("callback", "none");
            string acceptAs = args.OptionalName("accept_as");
            int receive = args.OptionalInt("receive", 0);
            string nextResult = args.OptionalName("next_result");
            if (receive < 0) throw AdapterError.BadRequest("args.receive must not be negative");
            CallbackRecorder recorder = MakeRecorder(callbackKind, acceptAs, receive, nextResult);
            // The state object lives in this frame only for the call; no
            // closure captures it (they are made in MakeRecorder).
            object state = ResolveState(args.OptionalObject("state"));
            return OutcomeReply(StartAccept(listener, state, recorder, resultName));
        }

        // BeginAccept on `listener`, through `recorder` unless it is null (no
        // callback); on success the result is named `resultName`.
        private JsonObject StartAccept(Socket listener, object state, CallbackRecorder recorder, string resultName)
        {
            IAsyncResult result;
            try
            {
                Jitter.Point();
                result = recorder == null ? listener.BeginAccept(null, state) : recorder.Begin(listener, state);
            }
            catch (Exception e)
            {
                return Outcomes.FromException(e);
            }
            results.Set(resultName, new ResultEntry(result, recorder));
            return Outcomes.Returned();
        }

        // The recorder of a callback kind, null for "none". Its body captures
        // names only, never the AsyncState: the body reads that from the
        // result it is given.
        private CallbackRecorder MakeRecorder(string callbackKind, string acceptAs, int receive, string nextResult)
        {
            switch (callbackKind)
            {
                case "none": return null;
                case "record": return new CallbackRecorder(DescribeIdentity, null);
                case "end_in_callback":
                    ReceiveGatherer gatherer = null;
                    if (acceptAs != null && receive > 0)
                    {
                        // Registered now so that collect_received can wait for
                        // data even if it is asked before the callback ran.
                        gatherer = new ReceiveGatherer(receive);
                        receivers.Set(acceptAs, gatherer);
                    }
                    return new CallbackRecorder(DescribeIdentity,
                        (ar, invocation) => invocation.EndOutcome = EndAcceptInCallback(ar, acceptAs, gatherer));
                case "begin_again":
                    if (acceptAs == null || nextResult == null)
                        throw AdapterError.BadRequest("begin_again needs accept_as and next_result");
                    return new CallbackRecorder(DescribeIdentity,
                        (ar, invocation) => BeginAgainInCallback(ar, invocation, acceptAs, nextResult));
                case "close_listener":
                    return new CallbackRecorder(DescribeIdentity,
                        (ar, invocation) => CloseListenerInCallback(ar, invocation, acceptAs));
                default:
                    throw AdapterError.BadRequest("args.callback must be none, record, end_in_callback, begin_again or close_listener");
            }
        }

        // The documented pattern: the listening socket travels as AsyncState.
        private JsonObject EndAcceptInCallback(IAsyncResult ar, string acceptAs, ReceiveGatherer gatherer)
        {
            Socket accepted;
            try
            {
                var listener = (Socket)ar.AsyncState;
                Jitter.Point();
                accepted = listener.EndAccept(ar);
            }
            catch (Exception e)
            {
                return Outcomes.FromException(e);
            }
            if (accepted == null) return NullSocketOutcome();
            if (acceptAs != null) sockets.Set(acceptAs, accepted);
            if (gatherer != null) gatherer.Start(accepted);
            return Outcomes.Socket();
        }

        // The canonical server loop: end this accept, then begin the next one
        // on the same listener with the same AsyncState, from inside the
        // callback, on its thread.
        private void BeginAgainInCallback(IAsyncResult ar, CallbackInvocation invocation, string acceptAs, string nextResult)
        {
            JsonObject failure;
            Socket listener = ListenerFromAsyncState(ar, out failure);
            if (listener == null)
            {
                invocation.EndOutcome = failure;
                invocation.BeginOutcome = failure;
                return;
            }
            invocation.EndOutcome = CallEndAccept(listener, ar, acceptAs);
            invocation.BeginOutcome = StartAccept(listener, listener, new CallbackRecorder(DescribeIdentity, null), nextResult);
        }

        // End this accept, then close the listener from inside the callback.
        private void CloseListenerInCallback(IAsyncResult ar, CallbackInvocation invocation, string acceptAs)
        {
            JsonObject failure;
            Socket listener = ListenerFromAsyncState(ar, out failure);
            if (listener == null)
            {
                invocation.EndOutcome = failure;
                invocation.CloseOutcome = failure;
                return;
            }
            invocation.EndOutcome = CallEndAccept(listener, ar, acceptAs);
            try
            {
                Jitter.Point();
                listener.Close();
                invocation.CloseOutcome = Outcomes.Returned();
            }
            catch (Exception e)
            {
                invocation.CloseOutcome = Outcomes.FromException(e);
            }
        }

        // The listener in the result's AsyncState, or null and the outcome
        // that stands for every call the callback cannot make without it.
        private static Socket ListenerFromAsyncState(IAsyncResult ar, out JsonObject failure)
        {
            failure = null;
            object state;
            try
            {
                state = ar.AsyncState;
            }
            catch (Exception e)
            {
                failure = Outcomes.FromException(e);
                return null;
            }
            var listener = state as Socket;
            if (listener != null) return listener;
            failure = new JsonObject();
            failure["kind"] = "Other";
            failure["type"] = "System.InvalidCastException";
            failure["message"] = "AsyncState is " + (state == null ? "null" : "a " + state.GetType().FullName) + ", not a Socket";
            return null;
        }

        private JsonObject EndAccept(Args args)
        {
            Socket listener = sockets.Get(args.Name("socket"));
            IAsyncResult result = args.IsNull("result") ? null : results.Get(args.Name("result")).Result;
            string acceptAs = args.OptionalName("as");
            string taskName = args.OptionalName("task");

            Func<JsonObject> call = () => OutcomeReply(CallEndAccept(listener, result, acceptAs));
            if (taskName == null) return call();
            if (args.Has("when_completed_ms") && !args.IsNull("when_completed_ms"))
            {
                int limit = args.Int("when_completed_ms");
                call = () => EndAcceptOnceCompleted(listener, result, acceptAs, limit);
            }
            else if (args.Has("park") && args.Raw("park") is bool && (bool)args.Raw("park"))
            {
                var gate = new StartGate();
                gates.Set(taskName, gate);
                Func<JsonObject> unparked = call;
                call = () =>
                {
                    Jitter.OffOnThisThread();
                    gate.WaitUntilOpen();
                    return unparked();
                };
            }

            tasks.Set(taskName, BackgroundCall.Start("end_accept " + taskName, call));
            var reply = new JsonObject();
            reply["started"] = true;
            return reply;
        }

        // end_accept with when_completed_ms: IsCompleted is read, spinning,
        // until true, then EndAccept is called. The runtime's own threads
        // cannot be held from here, nor can their waits be seen (the C++
        // host sees both through its implementations' schedule and
        // completion-wait points), so the probe reports neither and the
        // check that remains is that EndAccept returns. As in the C++ host,
        // the reads spin only for the first SpinWithoutSleepingMs: an accept
        // that never completes must not burn a core for the whole limit.
        private const int SpinWithoutSleepingMs = 250;

        private JsonObject EndAcceptOnceCompleted(Socket listener, IAsyncResult result, string acceptAs, int limitMs)
        {
            Jitter.OffOnThisThread();
            var clock = Stopwatch.StartNew();
            for (long reads = 1; ; ++reads)
            {
                bool completed;
                try
                {
                    completed = result != null && result.IsCompleted;
                }
                catch (Exception e)
                {
                    return OutcomeReply(Outcomes.FromException(e));
                }
                if (completed) break;
                if (reads % 256 == 0)
                {
                    if (clock.ElapsedMilliseconds >= limitMs)
                    {
                        var never = new JsonObject();
                        never["kind"] = "Other";
                        never["type"] = "adapter";
                        never["message"] = "IsCompleted stayed false for " + limitMs + " ms";
                        return OutcomeReply(never);
                    }
                    if (clock.ElapsedMilliseconds >= SpinWithoutSleepingMs) Thread.Sleep(1);
                    else Thread.Yield();
                }
            }
            var reply = OutcomeReply(CallEndAccept(listener, result, acceptAs));
            var probe = new JsonObject();
            probe["threads_held"] = 0;
            probe["end_returned_after_release"] = false;
            probe["end_waited_for_completion"] = false;
            reply["probe"] = probe;
            return reply;
        }

        private JsonObject CallEndAccept(Socket listener, IAsyncResult result, string acceptAs)
        {
            Socket accepted;
            try
            {
                Jitter.Point();
                accepted = listener.EndAccept(result);
            }
            catch (Exception e)
            {
                return Outcomes.FromException(e);
            }
            if (accepted == null) return NullSocketOutcome();
            if (acceptAs != null) sockets.Set(acceptAs, accepted);
            return Outcomes.Socket();
        }

        // Returning null is neither a socket nor an exception (Mono does it
        // for a result of another operation); report it as what it is rather
        // than pretend either.
        private static JsonObject NullSocketOutcome()
        {
            var outcome = new JsonObject();
            outcome["kind"] = "Other";
            outcome["type"] = "null";
            outcome["message"] = "EndAccept returned a null reference instead of a Socket";
            return outcome;
        }

        private JsonObject AwaitTask(Args args)
        {
            BackgroundCall task = tasks.Get(args.Name("task"));
            JsonObject fields = task.Wait(args.Int("timeout_ms"));
            var reply = new JsonObject();
            reply["done"] = fields != null;
            if (fields != null)
                foreach (string key in fields.Keys) reply[key] = fields[key];
            return reply;
        }

        private JsonObject ResultInfo(Args args)
        {
            IAsyncResult result = results.Get(args.Name("result")).Result;
            var reply = new JsonObject();
            reply["is_completed"] = result.IsCompleted;
            reply["completed_synchronously"] = result.CompletedSynchronously;
            reply["async_state"] = DescribeIdentity(result.AsyncState);
            return reply;
        }

        private JsonObject WaitHandle(Args args)
        {
            IAsyncResult result = results.Get(args.Name("result")).Result;
            int timeout = args.Int("timeout_ms");
            bool signalled;
            try
            {
                signalled = result.AsyncWaitHandle.WaitOne(Math.Max(0, timeout));
            }
            catch (Exception e)
            {
                // The protocol has no outcome for this call; say what happened.
                throw AdapterError.Internal("AsyncWaitHandle.WaitOne threw " + e.GetType().FullName + ": " + e.Message);
            }
            var reply = new JsonObject();
            reply["signalled"] = signalled;
            return reply;
        }

        private JsonObject CallbackInfo(Args args)
        {
            ResultEntry entry = results.Get(args.Name("result"));
            int minCalls = args.OptionalInt("min_calls", 0);
            int timeout = args.OptionalInt("timeout_ms", 0);

            var described = new List<object>();
            if (entry.Recorder != null)
            {
                foreach (CallbackInvocation invocation in entry.Recorder.WaitFor(minCalls, timeout))
                {
                    var item = new JsonObject();
                    item["on_begin_thread"] = invocation.OnBeginThread;
                    item["begin_returned"] = invocation.BeginReturned;
                    item["same_result"] = entry.Recorder.IsBeginResult(invocation.Result);
                    item["async_state"] = invocation.AsyncState;
                    if (invocation.EndOutcome != null) item["end_outcome"] = invocation.EndOutcome;
                    if (invocation.BeginOutcome != null) item["begin_outcome"] = invocation.BeginOutcome;
                    if (invocation.CloseOutcome != null) item["close_outcome"] = invocation.CloseOutcome;
                    described.Add(item);
                }
            }
            var reply = new JsonObject();
            reply["calls"] = (long)described.Count;
            reply["invocations"] = described;
            return reply;
        }

        private JsonObject CollectReceived(Args args)
        {
            string name = args.Name("socket");
            sockets.Get(name);
            ReceiveGatherer gatherer;
            if (!receivers.TryGet(name, out gatherer))
                throw AdapterError.BadRequest("no receive was started on socket " + name);
            var reply = new JsonObject();
            reply["data"] = gatherer.Collect(args.Int("count"), args.Int("timeout_ms"));
            return reply;
        }

        private static JsonObject OutcomeReply(JsonObject outcome)
        {
            var reply = new JsonObject();
            reply["outcome"] = outcome;
            return reply;
        }
    }
}
