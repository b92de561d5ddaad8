// Results that BeginAccept on the socket under test did not produce, to see
// what EndAccept makes of them (the contract: ArgumentException).
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace EndAcceptAdapter
{
    // An IAsyncResult made by the caller, not by System.Net.Sockets. It is
    // completed from the start so that an EndAccept that accepted it anyway
    // would not block on it.
    public sealed class CallerMadeAsyncResult : IAsyncResult
    {
        private readonly ManualResetEvent handle = new ManualResetEvent(true);

        public object AsyncState { get { return null; } }
        public WaitHandle AsyncWaitHandle { get { return handle; } }
        public bool CompletedSynchronously { get { return true; } }
        public bool IsCompleted { get { return true; } }
    }

    public sealed partial class Operations
    {
        private const int ForeignConnectTimeoutMs = 5000;

        // The sockets behind other-operation results: referenced so they stay
        // open (and are not finalized) while their result is in use.
        private readonly List<Socket> foreignSockets = new List<Socket>();

        private JsonObject MakeForeignResult(Args args)
        {
            string resultName = args.Name("result");
            string kind = args.String("kind");
            IAsyncResult result;
            switch (kind)
            {
                case "caller-made":
                    result = new CallerMadeAsyncResult();
                    break;
                case "other-operation":
                    int port = args.Int("port");
                    if (port <= 0 || port > 65535) throw AdapterError.BadRequest("args.port is out of range");
                    try
                    {
                        result = BeginOtherOperation(port);
                    }
                    catch (Exception e)
                    {
                        return OutcomeReply(Outcomes.FromException(e));
                    }
                    break;
                default:
                    throw AdapterError.BadRequest("args.kind must be other-operation or caller-made");
            }
            results.Set(resultName, new ResultEntry(result, null));
            return OutcomeReply(Outcomes.Returned());
        }

        // BeginConnect to the harness's listener: a genuine result of the same
        // implementation, completed but deliberately never ended.
        private IAsyncResult BeginOtherOperation(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            lock (foreignSockets) foreignSockets.Add(socket);
            IAsyncResult result = socket.BeginConnect(new IPEndPoint(IPAddress.Loopback, port), null, null);
            if (!result.AsyncWaitHandle.WaitOne(ForeignConnectTimeoutMs))
                Console.Error.WriteLine("adapter: BeginConnect to port " + port + " did not complete within 5 s");
            return result;
        }
    }
}
