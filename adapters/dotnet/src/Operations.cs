// The adapter's state (its name tables) and the protocol operations that are
// not about one socket or one accept. The operations themselves live in the
// other parts of this partial class.
using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace EndAcceptAdapter
{
    // What `begin_accept` and `make_foreign_result` store under a result name.
    public sealed class ResultEntry
    {
        public readonly IAsyncResult Result;
        public readonly CallbackRecorder Recorder; // null: no callback, or foreign

        public ResultEntry(IAsyncResult result, CallbackRecorder recorder)
        {
            Result = result;
            Recorder = recorder;
        }
    }

    // The AsyncState object `begin_accept` creates for `{"object": label}`;
    // reported back by reference identity. It carries its own label, so it is
    // described from the object the implementation hands back, even after
    // forget_state dropped the adapter's reference.
    public sealed class StateToken
    {
        public readonly string Label;

        public StateToken(string label) { Label = label; }

        public override string ToString() { return "StateToken(" + Label + ")"; }
    }

    public sealed partial class Operations
    {
        public const int ProtocolVersion = 1;

        private readonly string adapterName;
        private readonly NameTable<Socket> sockets = new NameTable<Socket>("socket");
        private readonly NameTable<ResultEntry> results = new NameTable<ResultEntry>("result");
        private readonly NameTable<BackgroundCall> tasks = new NameTable<BackgroundCall>("task");
        // Gates of parked background calls (end_accept with park), until release_tasks.
        private readonly NameTable<StartGate> gates = new NameTable<StartGate>("parked task");
        private readonly NameTable<ReceiveGatherer> receivers = new NameTable<ReceiveGatherer>("receive");
        // The adapter's only strong reference to each state object; forget_state drops it.
        private readonly NameTable<StateToken> stateObjects = new NameTable<StateToken>("state object");

        public Operations(string adapterName)
        {
            this.adapterName = adapterName;
            WarmUp.Run();
        }

        public Dictionary<string, Func<Args, JsonObject>> Handlers()
        {
            var handlers = new Dictionary<string, Func<Args, JsonObject>>();
            handlers["hello"] = Hello;
            handlers["listen"] = Listen;
            handlers["begin_accept"] = BeginAccept;
            handlers["end_accept"] = EndAccept;
            handlers["await_task"] = AwaitTask;
            handlers["make_foreign_result"] = MakeForeignResult;
            handlers["close"] = Close;
            handlers["result_info"] = ResultInfo;
            handlers["wait_handle"] = WaitHandle;
            handlers["callback_info"] = CallbackInfo;
            handlers["collect_received"] = CollectReceived;
            handlers["socket_info"] = SocketInfo;
            handlers["send"] = Send;
            handlers["receive"] = Receive;
            handlers["set_tracing"] = SetTracing;
            handlers["trace_events"] = TraceEvents;
            handlers["forget_state"] = ForgetState;
            handlers["release_tasks"] = ReleaseTasks;
            return handlers;
        }

        private JsonObject Hello(Args args)
        {
            // Any 64-bit integer is a version this adapter might not speak.
            long protocol = (long)args.Raw("protocol");
            if (protocol != ProtocolVersion)
                throw AdapterError.Unsupported("protocol " + protocol + " is not supported; this adapter speaks " + ProtocolVersion);

            var adapter = new JsonObject();
            adapter["name"] = adapterName;
            adapter["version"] = "1.0.0";
            adapter["implementation"] = RuntimeInfo.Implementation;
            adapter["runtime"] = RuntimeInfo.Describe();

            var capabilities = new List<object> { "ipv6", "foreign-other-operation", "foreign-caller-made" };
            if (SocketTracing.IsAvailable) capabilities.Add("tracing");

            var platform = new JsonObject();
            platform["os"] = RuntimeInfo.OperatingSystem;
            // Both runtimes implement BeginAccept/EndAccept on every platform
            // they run on; neither throws the contract's NotSupportedException.
            platform["supported"] = true;

            var result = new JsonObject();
            result["protocol"] = (long)ProtocolVersion;
            result["adapter"] = adapter;
            result["capabilities"] = capabilities;
            result["platform"] = platform;
            return result;
        }

        // "Which object is this", by reference identity (protocol section
        // "Identity of AsyncState").
        private object DescribeIdentity(object value)
        {
            if (value == null) return null;
            var described = new JsonObject();
            var token = value as StateToken;
            if (token != null)
            {
                described["object"] = token.Label;
                return described;
            }
            string socketName = sockets.NameOf(value);
            if (socketName != null)
            {
                described["socket"] = socketName;
                return described;
            }
            described["unknown"] = value.GetType().FullName;
            return described;
        }

        private JsonObject ReleaseTasks(Args args)
        {
            // Every gate is found before any opens, so a wrong name releases nothing.
            var names = (System.Collections.Generic.List<object>)args.Raw("tasks");
            var found = new System.Collections.Generic.List<StartGate>();
            foreach (object name in names) found.Add(gates.Get((string)name));
            foreach (StartGate gate in found) gate.Open();
            foreach (object name in names) gates.Remove((string)name);
            return new JsonObject();
        }

        private JsonObject ForgetState(Args args)
        {
            string label = args.Name("object");
            if (!stateObjects.Remove(label)) throw AdapterError.UnknownName("no state object labelled " + label);
            // Whatever still holds the object now is the implementation.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return new JsonObject();
        }

        // The AsyncState to hand to BeginAccept for a request's `state`.
        private object ResolveState(JsonObject state)
        {
            if (state == null) return null;
            if (state.ContainsKey("socket") && state["socket"] is string)
                return sockets.Get((string)state["socket"]);
            if (state.ContainsKey("object") && state["object"] is string)
            {
                var label = (string)state["object"];
                if (!Names.IsValid(label)) throw AdapterError.BadRequest("state.object is not a valid name: " + label);
                var token = new StateToken(label);
                stateObjects.Set(label, token);
                return token;
            }
            throw AdapterError.BadRequest("state must be null, {\"socket\": name} or {\"object\": label}");
        }
    }
}
