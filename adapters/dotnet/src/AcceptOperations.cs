// The operations around the contract under test: BeginAccept, EndAccept and
// the IAsyncResult they share.
using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace EndAcceptAdapter
{
    public sealed partial class Operations
    {
        private JsonObject BeginAccept(Args args)
        {
            Socket listener = sockets.Get(args.Name("socket"));
            string resultName = args.Name("result");
            object state = ResolveState(args.OptionalObject("state"));
            string callbackKind = args.OptionalString("callback", "none");
            string acceptAs = args.OptionalName("accept_as");
            int receive = args.OptionalInt("receive", 0);
            if (receive < 0) throw AdapterError.BadRequest("args.receive must not be negative");

            CallbackRecorder recorder;
            switch (callbackKind)
            {
                case "none": recorder = null; break;
                case "record": recorder = new CallbackRecorder(null); break;
                case "end_in_callback":
                    ReceiveGatherer gatherer = null;
                    if (acceptAs != null && receive > 0)
                    {
                        // Registered now so that collect_received can wait for
                        // data even if it is asked before the callback ran.
                        gatherer = new ReceiveGatherer(receive);
                        receivers.Set(acceptAs, gatherer);
                    }
                    recorder = new CallbackRecorder(ar => EndAcceptInCallback(ar, acceptAs, gatherer));
                    break;
                default:
                    throw AdapterError.BadRequest("args.callback must be none, record or end_in_callback");
            }

            IAsyncResult result;
            try
            {
                if (recorder == null)
                    result = listener.BeginAccept(null, state);
                else
                    result = recorder.Begin(callback => listener.BeginAccept(callback, state));
            }
            catch (Exception e)
            {
                return OutcomeReply(Outcomes.FromException(e));
            }
            results.Set(resultName, new ResultEntry(result, recorder));
            return OutcomeReply(Outcomes.Returned());
        }

        // The documented pattern: the listening socket travels as AsyncState.
        private JsonObject EndAcceptInCallback(IAsyncResult ar, string acceptAs, ReceiveGatherer gatherer)
        {
            Socket accepted;
            try
            {
                var listener = (Socket)ar.AsyncState;
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

        private JsonObject EndAccept(Args args)
        {
            Socket listener = sockets.Get(args.Name("socket"));
            IAsyncResult result = args.IsNull("result") ? null : results.Get(args.Name("result")).Result;
            string acceptAs = args.OptionalName("as");
            string taskName = args.OptionalName("task");

            Func<JsonObject> call = () => CallEndAccept(listener, result, acceptAs);
            if (taskName == null) return OutcomeReply(call());

            tasks.Set(taskName, BackgroundCall.Start("end_accept " + taskName, call));
            var reply = new JsonObject();
            reply["started"] = true;
            return reply;
        }

        private JsonObject CallEndAccept(Socket listener, IAsyncResult result, string acceptAs)
        {
            Socket accepted;
            try
            {
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
            JsonObject outcome = task.Wait(args.Int("timeout_ms"));
            var reply = new JsonObject();
            reply["done"] = outcome != null;
            if (outcome != null) reply["outcome"] = outcome;
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
                    item["async_state"] = DescribeIdentity(invocation.AsyncState);
                    if (invocation.EndOutcome != null) item["end_outcome"] = invocation.EndOutcome;
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
