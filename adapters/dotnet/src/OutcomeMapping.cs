// Maps what a call into System.Net.Sockets did to an outcome object of the
// protocol. Checks run from the most specific exception type to the least,
// because the contract's types form a hierarchy (ArgumentNullException is an
// ArgumentException, ObjectDisposedException an InvalidOperationException).
using System;
using System.Net.Sockets;

namespace EndAcceptAdapter
{
    public static class Outcomes
    {
        public static JsonObject Returned() { return Kind("Returned"); }

        public static JsonObject Socket() { return Kind("Socket"); }

        public static JsonObject FromException(Exception e)
        {
            var outcome = Kind(KindOf(e));
            var socketError = e as SocketException;
            if (socketError != null)
            {
                outcome["code"] = WinsockCode(socketError);
                outcome["type"] = e.GetType().FullName;
                outcome["message"] = SocketErrorMessage(socketError);
                return outcome;
            }
            outcome["type"] = e.GetType().FullName;
            outcome["message"] = e.Message;
            return outcome;
        }

        private static string KindOf(Exception e)
        {
            if (e is ArgumentNullException) return "ArgumentNull";
            if (e is ObjectDisposedException) return "ObjectDisposed";
            if (e is ArgumentException) return "Argument";
            if (e is InvalidOperationException) return "InvalidOperation";
            if (e is SocketException) return "SocketError";
            if (e is PlatformNotSupportedException || e is NotSupportedException) return "NotSupported";
            return "Other";
        }

        // The contract tells callers to read SocketException.ErrorCode and look
        // it up among the Windows Sockets 2 error numbers, so that property is
        // what the suite judges. (.NET on Unix puts errno there, e.g. 23 or 125,
        // and keeps the Windows value only in SocketErrorCode: the harness then
        // reports a deviation, which is the point.) The enum's name and number
        // stay in the message for the reader.
        private static int WinsockCode(SocketException e)
        {
            return e.ErrorCode;
        }

        private static string SocketErrorMessage(SocketException e)
        {
            return e.SocketErrorCode + " (SocketErrorCode " + (int)e.SocketErrorCode + "): " + e.Message;
        }

        private static JsonObject Kind(string kind)
        {
            var outcome = new JsonObject();
            outcome["kind"] = kind;
            return outcome;
        }
    }
}
