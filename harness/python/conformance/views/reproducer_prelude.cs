// What every reproducer shares: names, outcomes, the callback recorder, calls
// on other threads, deadlines. The steps themselves come from the C#
// templates declared with each op (harness/src/steps/*_steps.cpp,
// "x-csharp" in cases/case.schema.json). C# 6, so that Mono's mcs compiles
// it as well as the .NET SDK. @@ lines are filled in by reproducer.py.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace @@NAMESPACE@@
{
    // A step failed: what was observed departs from the contract.
    public sealed class Deviation : Exception
    {
        public readonly bool StopsCase;
        public Deviation(string message, bool stopsCase) : base(message) { StopsCase = stopsCase; }
    }

    // The reproducer itself could not do what the step asks (not a finding).
    public sealed class ReproducerBroken : Exception
    {
        public ReproducerBroken(string message, Exception inner) : base(message, inner) { }
    }

    public sealed class Outcome
    {
        public string Kind;
        public int? Code;
        public string Detail = "";

        public override string ToString() { return Code.HasValue ? Kind + "(" + Code + ")" : Kind; }
        public string WithDetail() { return Detail.Length == 0 ? ToString() : ToString() + " \"" + Detail + "\""; }

        public static Outcome Of(string kind) { return new Outcome { Kind = kind }; }

        public static Outcome FromException(Exception e)
        {
            var outcome = new Outcome { Kind = KindOf(e), Detail = e.GetType().Name + ": " + e.Message };
            var socketError = e as SocketException;
            if (socketError != null)
            {
                // The contract's number is ErrorCode; SocketErrorCode is shown for the reader.
                outcome.Code = socketError.ErrorCode;
                outcome.Detail = socketError.SocketErrorCode + " (SocketErrorCode " + (int)socketError.SocketErrorCode + "): " + e.Message;
            }
            return outcome;
        }

        // From spec/vocabulary.json (outcomes, "dotnet"), most specific type first.
        private static string KindOf(Exception e)
        {
@@KINDS@@
            return "Other";
        }

        // "SocketError" admits any code, "SocketError(10024)" only that one.
        public bool Matches(string expected)
        {
            int open = expected.IndexOf('(');
            if (open < 0) return Kind == expected;
            return Kind == expected.Substring(0, open) && Code.HasValue &&
                   Code.Value.ToString() == expected.Substring(open + 1, expected.Length - open - 2);
        }
    }

    // A step of the case, its fields as the case table wrote them.
    public sealed class Step
    {
        public int Index;
        public string Words;
        public string[] Uses;
        public string[] Defines;
        public bool StopsCase;
        public Dictionary<string, object> Fields = new Dictionary<string, object>();
        public string Expected = "";
        public string Observed = "";

        public bool Has(string field) { return Fields.ContainsKey(field) && Fields[field] != null; }
        public string Str(string field) { return (string)Fields[field]; }
        public string Str(string field, string otherwise) { return Has(field) ? (string)Fields[field] : otherwise; }
        public int Int(string field, int otherwise) { return Has(field) ? (int)Fields[field] : otherwise; }
        public bool Bool(string field, bool otherwise) { return Has(field) ? (bool)Fields[field] : otherwise; }
        public string[] List(string field) { return (string[])Fields[field]; }
        public State StateOf(string field) { return Has(field) ? (State)Fields[field] : null; }
        public int Within() { return Reproducer.Scaled(Int("within_ms", Reproducer.DefaultWithinMs)); }
        public int Hold() { return Reproducer.Scaled(Int("hold_ms", Reproducer.DefaultHoldMs)); }
        public void Saw(string expected, string observed) { Expected = expected; Observed = observed; }
    }

    // An AsyncState as the case writes it: {"socket": name} or {"object": label}.
    public sealed class State
    {
        public readonly string Kind;
        public readonly string Name;
        public State(string kind, string name) { Kind = kind; Name = name; }

        public object Resolve()
        {
            if (Kind == "socket") return Reproducer.Sockets[Name];
            return Reproducer.Tokens.GetOrAdd(Name, label => new Token(label));
        }

        public override string ToString() { return "{\"" + Kind + "\": \"" + Name + "\"}"; }

        // How an AsyncState seen at run time reads in the case's terms.
        public static string Describe(object state)
        {
            if (state == null) return "null";
            var token = state as Token;
            if (token != null) return new State("object", token.Label).ToString();
            foreach (var named in Reproducer.Sockets)
                if (ReferenceEquals(named.Value, state)) return new State("socket", named.Key).ToString();
            return state.GetType().Name;
        }

        public static string Describe(State state) { return state == null ? "null" : state.ToString(); }
    }

    public sealed class Token
    {
        public readonly string Label;
        public Token(string label) { Label = label; }
    }

    // An IAsyncResult the caller made itself.
    public sealed class CallerMadeResult : IAsyncResult
    {
        private readonly ManualResetEvent handle = new ManualResetEvent(true);
        public object AsyncState { get { return null; } }
        public WaitHandle AsyncWaitHandle { get { return handle; } }
        public bool CompletedSynchronously { get { return true; } }
        public bool IsCompleted { get { return true; } }
    }

    public struct Deadline
    {
        private readonly long end;
        private Deadline(long end) { this.end = end; }
        public static Deadline After(int ms) { return new Deadline(Stopwatch.GetTimestamp() + (long)Math.Max(0, ms) * Stopwatch.Frequency / 1000); }
        public int RemainingMs()
        {
            long left = end - Stopwatch.GetTimestamp();
            return left <= 0 ? 0 : (int)Math.Min(int.MaxValue, (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
        }
    }

    // One invocation of a BeginAccept callback.
    public sealed class Invocation
    {
        public bool OnBeginThread;
        public bool BeginReturned;
        public IAsyncResult Result;
        public string AsyncState;
        public Outcome EndOutcome;
        public Outcome BeginOutcome;
        public Outcome CloseOutcome;
    }

    // The callback given to one BeginAccept. BeginAccept runs under a
    // reentrant lock that the callback takes too, so "had BeginAccept
    // returned?" has no race: inline, the callback re-enters and sees false;
    // on another thread it waits for BeginAccept to return.
    public sealed class Recorder
    {
        private readonly object beginLock = new object();
        private readonly object gate = new object();
        private readonly List<Invocation> invocations = new List<Invocation>();
        private bool beginReturned;
        private int beginThread;
        public Action<IAsyncResult, Invocation> Body;

        public IAsyncResult Begin(Socket listener, object state)
        {
            lock (beginLock)
            {
                beginThread = Thread.CurrentThread.ManagedThreadId;
                IAsyncResult result = listener.BeginAccept(OnCallback, state);
                beginReturned = true;
                return result;
            }
        }

        private void OnCallback(IAsyncResult ar)
        {
            var call = new Invocation { Result = ar };
            lock (beginLock)
            {
                call.BeginReturned = beginReturned;
                call.OnBeginThread = Thread.CurrentThread.ManagedThreadId == beginThread;
            }
            try
            {
                call.AsyncState = ar == null ? "null" : State.Describe(ar.AsyncState);
                if (Body != null) Body(ar, call);
            }
            catch (Exception e)
            {
                Console.WriteLine("  (the callback threw " + e.GetType().Name + ": " + e.Message + ")");
            }
            lock (gate)
            {
                invocations.Add(call);
                Monitor.PulseAll(gate);
            }
        }

        public List<Invocation> WaitFor(int calls, int timeoutMs)
        {
            var deadline = Deadline.After(timeoutMs);
            lock (gate)
            {
                while (invocations.Count < calls && deadline.RemainingMs() > 0) Monitor.Wait(gate, deadline.RemainingMs());
                return new List<Invocation>(invocations);
            }
        }
    }

    // A call on a thread of its own (an EndAccept that may block); a parked
    // one waits for its release first.
    public sealed class Background
    {
        public readonly ManualResetEvent Done = new ManualResetEvent(false);
        public readonly ManualResetEvent Go;
        public Outcome Outcome;

        public Background(bool parked, Func<Socket> call, string keepAs)
        {
            Go = new ManualResetEvent(!parked);
            var thread = new Thread(() =>
            {
                Go.WaitOne();
                Outcome = Reproducer.SocketOutcome(call, keepAs);
                Done.Set();
            });
            thread.IsBackground = true;
            thread.Start();
        }

        private Background() { Go = new ManualResetEvent(true); }

        // A call that should return now, on the one caller thread made at
        // the start: a runtime may need a descriptor to start a thread, and a
        // case may have left it none.
        public static Background Now(Func<Socket> call, string keepAs)
        {
            var made = new Background();
            Caller.Add(() =>
            {
                made.Outcome = Reproducer.SocketOutcome(call, keepAs);
                made.Done.Set();
            });
            return made;
        }

        private static readonly BlockingCollection<Action> Caller = StartCaller();

        private static BlockingCollection<Action> StartCaller()
        {
            var calls = new BlockingCollection<Action>();
            var thread = new Thread(() => { foreach (var call in calls.GetConsumingEnumerable()) call(); });
            thread.IsBackground = true;
            thread.Start();
            return calls;
        }
    }

    // Bytes a receive started inside a callback collects.
    public sealed class Gatherer
    {
        private readonly int count;
        private readonly MemoryStream got = new MemoryStream();
        private readonly object gate = new object();
        private bool ended;

        public Gatherer(int count) { this.count = count; }

        public void Start(Socket socket)
        {
            var buffer = new byte[count];
            AsyncCallback next = null;
            next = ar =>
            {
                int n = 0;
                try { n = socket.EndReceive(ar); } catch (Exception) { }
                lock (gate)
                {
                    got.Write(buffer, 0, n);
                    ended = n == 0 || got.Length >= count;
                    Monitor.PulseAll(gate);
                }
                if (!ended) socket.BeginReceive(buffer, 0, count - (int)got.Length, SocketFlags.None, next, null);
            };
            socket.BeginReceive(buffer, 0, count, SocketFlags.None, next, null);
        }

        public string WaitFor(int timeoutMs)
        {
            var deadline = Deadline.After(timeoutMs);
            lock (gate)
            {
                while (!ended && deadline.RemainingMs() > 0) Monitor.Wait(gate, deadline.RemainingMs());
                return Encoding.ASCII.GetString(got.ToArray());
            }
        }
    }

    public static partial class Reproducer
    {
        public static readonly ConcurrentDictionary<string, Socket> Sockets = new ConcurrentDictionary<string, Socket>();
        public static readonly ConcurrentDictionary<string, IPEndPoint> Listeners = new ConcurrentDictionary<string, IPEndPoint>();
        public static readonly ConcurrentDictionary<string, IAsyncResult> Results = new ConcurrentDictionary<string, IAsyncResult>();
        public static readonly ConcurrentDictionary<string, Recorder> Recorders = new ConcurrentDictionary<string, Recorder>();
        public static readonly ConcurrentDictionary<string, Background> Tasks = new ConcurrentDictionary<string, Background>();
        public static readonly ConcurrentDictionary<string, Socket> Clients = new ConcurrentDictionary<string, Socket>();
        public static readonly ConcurrentDictionary<string, Gatherer> Receivers = new ConcurrentDictionary<string, Gatherer>();
        public static readonly ConcurrentDictionary<string, int> Snapshots = new ConcurrentDictionary<string, int>();
        public static readonly ConcurrentDictionary<string, Token> Tokens = new ConcurrentDictionary<string, Token>();
        // Objects that must live as long as the program (e.g. the socket of another operation's result).
        public static readonly ConcurrentBag<object> Kept = new ConcurrentBag<object>();

@@DEFAULTS@@
        public static double TimeoutScale = 1;
        public static int Scaled(int ms) { return (int)Math.Min(int.MaxValue, ms * TimeoutScale); }

        private static readonly HashSet<string> unmade = new HashSet<string>();
        private static readonly List<string> deviations = new List<string>();
        private static bool stopped;

        public static int Main(string[] args)
        {
            for (int i = 0; i + 1 < args.Length; i++)
                if (args[i] == "--timeout-scale") TimeoutScale = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine("Reproducer of " + CaseId + " (" + Level + "): " + Title);
            Console.WriteLine("Runtime: " + RuntimeName());
            int code;
            try
            {
                WarmUp();
                Steps();
                if (deviations.Count == 0)
                {
                    Console.WriteLine("CONFORMS: every step behaved as the contract says.");
                    code = 0;
                }
                else
                {
                    Console.WriteLine("DEVIATES from the contract at " + string.Join("; ", deviations.ToArray()));
                    code = 1;
                }
            }
            catch (ReproducerBroken e)
            {
                Console.WriteLine("BROKEN: the reproducer could not run: " + e.Message + ": " + e.InnerException);
                code = 2;
            }
            Console.Out.Flush();
            // Calls still blocked on other threads must not keep the process alive.
            Environment.Exit(code);
            return code;
        }

        private static string RuntimeName()
        {
            Type mono = Type.GetType("Mono.Runtime");
            if (mono != null)
            {
                var display = mono.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
                return "Mono " + (display != null ? display.Invoke(null, null) : Environment.Version.ToString());
            }
            return ".NET " + Environment.Version;
        }

        // What a runtime creates the first time it accepts, connects or throws
        // exists before any descriptor is counted.
        private static void WarmUp()
        {
            try { throw new InvalidOperationException("warm-up"); } catch (InvalidOperationException) { }
            Background.Now(() => null, null).Done.WaitOne(Scaled(DefaultWithinMs));
            // Pool threads that exist before a case leaves no descriptor: some
            // runtimes cannot start a thread then, and abort.
            const int poolThreads = 8;
            int workers, completions;
            ThreadPool.GetMinThreads(out workers, out completions);
            ThreadPool.SetMinThreads(Math.Max(workers, poolThreads), Math.Max(completions, poolThreads));
            // Never disposed: the last work items may still be leaving Wait.
            var running = new CountdownEvent(poolThreads);
            for (int i = 0; i < poolThreads; i++)
                ThreadPool.QueueUserWorkItem(_ => { running.Signal(); running.Wait(Scaled(DefaultWithinMs)); });
            running.Wait(Scaled(DefaultWithinMs));
            using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                listener.Listen(1);
                IAsyncResult accepting = listener.BeginAccept(null, null);
                IAsyncResult connecting = client.BeginConnect(listener.LocalEndPoint, null, null);
                if (connecting.AsyncWaitHandle.WaitOne(Scaled(DefaultWithinMs))) client.EndConnect(connecting);
                if (accepting.AsyncWaitHandle.WaitOne(Scaled(DefaultWithinMs))) listener.EndAccept(accepting).Close();
            }
        }

        public static void Run(Step step, Action<Step> op)
        {
            if (stopped) return;
            foreach (string name in step.Uses)
            {
                if (!unmade.Contains(name)) continue;
                Console.WriteLine("step " + step.Index + ": " + step.Words + "\n    not run: it uses " + name + ", which an earlier step that failed did not make");
                foreach (string made in step.Defines) unmade.Add(made);
                return;
            }
            try
            {
                op(step);
                Console.WriteLine("step " + step.Index + ": " + step.Words + "\n    ok: " + step.Observed);
            }
            catch (Deviation d)
            {
                deviations.Add("step " + step.Index + ": " + d.Message);
                Console.WriteLine("step " + step.Index + ": " + step.Words);
                Console.WriteLine("    DEVIATES: " + d.Message);
                if (step.Expected.Length > 0) Console.WriteLine("    the contract says: " + step.Expected);
                if (step.Observed.Length > 0) Console.WriteLine("    observed:          " + step.Observed);
                foreach (string made in step.Defines) unmade.Add(made);
                if (d.StopsCase || step.StopsCase)
                {
                    stopped = true;
                    Console.WriteLine("    (the case stops here)");
                }
            }
            catch (Exception e)
            {
                throw new ReproducerBroken("step " + step.Index + " (" + step.Words + ")", e);
            }
        }

        // Throws the step's deviation.
        public static void Fail(string message) { throw new Deviation(message, false); }
        // A call that did not return: the case cannot go on (the harness ends it with TIMEOUT).
        public static void Hang(string message) { throw new Deviation(message, true); }

        public static void Expect(Step step, string expected, Outcome observed)
        {
            step.Saw(expected, observed.WithDetail());
            if (observed.Matches(expected)) return;
            string why = "expected " + expected + ", observed " + observed.WithDetail();
            if (observed.Kind == "SocketError" && observed.Code.HasValue && (observed.Code < WindowsSocketsFirst || observed.Code > WindowsSocketsLast))
                why += " (" + observed.Code + " is not a Windows Sockets 2 error number)";
            Fail(why);
        }

        public static Outcome OutcomeOf(Action call)
        {
            try
            {
                call();
                return Outcome.Of("Returned");
            }
            catch (Exception e)
            {
                return Outcome.FromException(e);
            }
        }

        // A call that should return a socket, kept under `keepAs` when it does.
        public static Outcome SocketOutcome(Func<Socket> call, string keepAs)
        {
            try
            {
                Socket socket = call();
                if (socket == null) return new Outcome { Kind = "Other", Detail = "a null reference instead of a Socket" };
                if (keepAs != null) Sockets[keepAs] = socket;
                return Outcome.Of("Socket");
            }
            catch (Exception e)
            {
                return Outcome.FromException(e);
            }
        }

        // Outcomes matched to expectations in any order.
        public static bool MatchInSomeOrder(string[] expected, List<Outcome> observed, int from)
        {
            if (from == expected.Length) return true;
            for (int i = from; i < observed.Count; i++)
            {
                if (!observed[i].Matches(expected[from])) continue;
                var swapped = new List<Outcome>(observed);
                swapped[i] = observed[from];
                swapped[from] = observed[i];
                if (MatchInSomeOrder(expected, swapped, from + 1)) return true;
            }
            return false;
        }

        public static string Received(Socket socket, int count, int timeoutMs)
        {
            var got = new MemoryStream();
            var buffer = new byte[count];
            var deadline = Deadline.After(timeoutMs);
            while (got.Length < count && deadline.RemainingMs() > 0)
            {
                socket.ReceiveTimeout = Math.Max(1, deadline.RemainingMs());
                int n;
                try { n = socket.Receive(buffer, 0, count - (int)got.Length, SocketFlags.None); }
                catch (SocketException) { break; }
                if (n == 0) break;
                got.Write(buffer, 0, n);
            }
            return Encoding.ASCII.GetString(got.ToArray());
        }

        public static int OpenDescriptors() { return Directory.GetFileSystemEntries("/proc/self/fd").Length; }

        [StructLayout(LayoutKind.Sequential)]
        public struct Rlimit { public ulong Current; public ulong Maximum; }

        [DllImport("libc.so.6", SetLastError = true)]
        public static extern int getrlimit(int resource, out Rlimit limit);
        [DllImport("libc.so.6", SetLastError = true)]
        public static extern int setrlimit(int resource, ref Rlimit limit);
        [DllImport("libc.so.6", SetLastError = true)]
        public static extern int fcntl(int descriptor, int command);
        public const int RlimitNofile = 7;
        public const int GetDescriptorFlags = 1;
        public static Rlimit? SavedLimit;
        // The harness plays the remote host in a process of its own; here it
        // shares this one, so its sockets are made before the limit leaves no
        // descriptor (limit_descriptors) and taken from here while it holds.
        public static readonly Stack<Socket> SpareRemoteSockets = new Stack<Socket>();

        public static Socket RemoteHostSocket(AddressFamily family)
        {
            foreach (var spare in SpareRemoteSockets)
                if (spare.AddressFamily == family)
                {
                    var kept = new List<Socket>(SpareRemoteSockets);
                    kept.Remove(spare);
                    SpareRemoteSockets.Clear();
                    foreach (var other in kept) SpareRemoteSockets.Push(other);
                    return spare;
                }
            return new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        }
    }
}
