// Operations on one socket that are not the contract under test but let the
// harness set the scene and check what EndAccept returned.
using System;
using System.Net;
using System.Net.Sockets;

namespace EndAcceptAdapter
{
    public sealed partial class Operations
    {
        private JsonObject Listen(Args args)
        {
            string name = args.Name("socket");
            string family = args.OptionalString("family", "ipv4");
            int backlog = args.OptionalInt("backlog", 16);
            IPAddress loopback;
            switch (family)
            {
                case "ipv4": loopback = IPAddress.Loopback; break;
                case "ipv6": loopback = IPAddress.IPv6Loopback; break;
                default: throw AdapterError.BadRequest("args.family must be ipv4 or ipv6");
            }

            Socket listener = null;
            try
            {
                listener = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(loopback, 0));
                listener.Listen(backlog);
            }
            catch (Exception e)
            {
                if (listener != null) listener.Close();
                return OutcomeReply(Outcomes.FromException(e));
            }
            sockets.Set(name, listener);

            var bound = (IPEndPoint)listener.LocalEndPoint;
            var reply = OutcomeReply(Outcomes.Returned());
            reply["address"] = bound.Address.ToString();
            reply["port"] = (long)bound.Port;
            return reply;
        }

        private JsonObject Close(Args args)
        {
            Socket socket = sockets.Get(args.Name("socket"));
            try
            {
                Jitter.Point();
                socket.Close();
            }
            catch (Exception e)
            {
                return OutcomeReply(Outcomes.FromException(e));
            }
            return OutcomeReply(Outcomes.Returned());
        }

        private JsonObject SocketInfo(Args args)
        {
            string name = args.Name("socket");
            Socket socket = sockets.Get(name);
            var reply = new JsonObject();
            try
            {
                reply["local"] = DescribeEndPoint(socket.LocalEndPoint);
                reply["remote"] = DescribeEndPoint(RemoteEndPointOrNull(socket));
                reply["connected"] = socket.Connected;
                // Handle is the descriptor on Unix. (On .NET, reading it marks
                // the handle as exposed, which only matters to multi-address
                // connect retries, not to anything the protocol does.)
                reply["identity"] = RuntimeInfo.HandlePrefix + socket.Handle.ToInt64();
            }
            catch (ObjectDisposedException e)
            {
                // The protocol has no outcome here, and a closed socket has no
                // addresses or descriptor to report.
                throw AdapterError.Internal("socket " + name + " is closed: " + e.Message);
            }
            return reply;
        }

        // A listener has no peer. .NET 5 and later answer null; .NET Core 3.1
        // throws SocketException (ENOTCONN), which is no outcome of the contract.
        private static EndPoint RemoteEndPointOrNull(Socket socket)
        {
            try
            {
                return socket.RemoteEndPoint;
            }
            catch (SocketException)
            {
                return null;
            }
        }

        private static object DescribeEndPoint(EndPoint endPoint)
        {
            var ip = endPoint as IPEndPoint;
            if (ip == null) return null;
            var described = new JsonObject();
            described["address"] = ip.Address.ToString();
            described["port"] = (long)ip.Port;
            return described;
        }

        private JsonObject Send(Args args)
        {
            Socket socket = sockets.Get(args.Name("socket"));
            byte[] data = Latin1.Encode(args.String("data"));
            int sent = 0;
            JsonObject outcome;
            try
            {
                while (sent < data.Length)
                    sent += socket.Send(data, sent, data.Length - sent, SocketFlags.None);
                outcome = Outcomes.Returned();
            }
            catch (Exception e)
            {
                outcome = Outcomes.FromException(e);
            }
            var reply = OutcomeReply(outcome);
            reply["sent"] = (long)sent;
            return reply;
        }

        private JsonObject Receive(Args args)
        {
            Socket socket = sockets.Get(args.Name("socket"));
            int count = args.Int("count");
            if (count < 0) throw AdapterError.BadRequest("args.count must not be negative");
            var deadline = Deadline.After(args.Int("timeout_ms"));
            var buffer = new byte[count];
            int received = 0;
            JsonObject outcome;
            try
            {
                while (received < count)
                {
                    int remaining = deadline.RemainingMs();
                    // Poll, not ReceiveTimeout: a timeout must leave the socket
                    // usable, and Poll waits for readiness without consuming.
                    if (remaining <= 0 || !socket.Poll(MillisecondsToMicroseconds(remaining), SelectMode.SelectRead))
                        break;
                    int n = socket.Receive(buffer, received, count - received, SocketFlags.None);
                    if (n == 0) break; // peer closed
                    received += n;
                }
                outcome = Outcomes.Returned();
            }
            catch (Exception e)
            {
                outcome = Outcomes.FromException(e);
            }
            var reply = OutcomeReply(outcome);
            reply["data"] = Latin1.Decode(buffer, 0, received);
            return reply;
        }

        private static int MillisecondsToMicroseconds(int ms)
        {
            return ms >= int.MaxValue / 1000 ? int.MaxValue : ms * 1000;
        }
    }
}
