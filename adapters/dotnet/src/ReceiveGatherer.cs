// The receive an end_in_callback callback starts on the socket it accepted,
// as in the documented pattern (BeginReceive from inside the callback). Its
// bytes are read later with `collect_received`.
using System;
using System.Net.Sockets;
using System.Threading;

namespace EndAcceptAdapter
{
    public sealed class ReceiveGatherer
    {
        private readonly byte[] buffer;
        private readonly object gate = new object();
        private int received;
        private bool finished; // count reached, peer closed, or the receive failed
        private Socket socket;

        public ReceiveGatherer(int count)
        {
            buffer = new byte[count];
        }

        public void Start(Socket accepted)
        {
            socket = accepted;
            ReceiveMore();
        }

        private void ReceiveMore()
        {
            int offset;
            lock (gate) offset = received;
            try
            {
                socket.BeginReceive(buffer, offset, buffer.Length - offset, SocketFlags.None, OnReceived, null);
            }
            catch (Exception e)
            {
                Finish("BeginReceive failed: " + e.Message);
            }
        }

        private void OnReceived(IAsyncResult ar)
        {
            int n;
            try
            {
                n = socket.EndReceive(ar);
            }
            catch (Exception e)
            {
                Finish("EndReceive failed: " + e.Message);
                return;
            }
            bool more;
            lock (gate)
            {
                received += n;
                finished = n == 0 || received == buffer.Length;
                more = !finished;
                Monitor.PulseAll(gate);
            }
            if (more) ReceiveMore();
        }

        private void Finish(string why)
        {
            Console.Error.WriteLine("adapter: receive on accepted socket ended: " + why);
            lock (gate)
            {
                finished = true;
                Monitor.PulseAll(gate);
            }
        }

        // The bytes gathered once `count` arrived, the receive ended, or the
        // timeout passed, whichever comes first.
        public string Collect(int count, int timeoutMs)
        {
            var deadline = Deadline.After(timeoutMs);
            lock (gate)
            {
                while (received < count && !finished)
                {
                    int remaining = deadline.RemainingMs();
                    if (remaining <= 0) break;
                    Monitor.Wait(gate, remaining);
                }
                return Latin1.Decode(buffer, 0, received);
            }
        }
    }

    // The protocol carries payloads as Latin-1 text: one char per byte.
    public static class Latin1
    {
        public static string Decode(byte[] bytes, int offset, int count)
        {
            var chars = new char[count];
            for (int i = 0; i < count; i++) chars[i] = (char)bytes[offset + i];
            return new string(chars);
        }

        public static byte[] Encode(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] > 0xff) throw AdapterError.BadRequest("data is not Latin-1 text");
                bytes[i] = (byte)text[i];
            }
            return bytes;
        }
    }
}
