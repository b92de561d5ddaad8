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
                int code = WinsockCode(socketError);
                outcome["code"] = code;
                outcome["type"] = e.GetType().FullName;
                outcome["message"] = SocketErrorMessage(socketError, code);
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

        // The contract says SocketException.ErrorCode is the Windows Sockets
        // error number, and the protocol wants that number. Mono (and .NET on
        // Windows) report it there. .NET on Unix reports the platform errno
        // instead (24 for EMFILE, 125 for ECANCELED) and keeps the Windows
        // value only in SocketErrorCode; report that one then, and keep the
        // raw ErrorCode visible in the message so the difference is not lost.
        private static int WinsockCode(SocketException e)
        {
            int fromEnum = (int)e.SocketErrorCode;
            if (e.ErrorCode == fromEnum) return e.ErrorCode;
            return e.SocketErrorCode == SocketError.SocketError ? e.ErrorCode : fromEnum;
        }

        private static string SocketErrorMessage(SocketException e, int reported)
        {
            string text = e.SocketErrorCode + ": " + e.Message;
            if (e.ErrorCode != reported) text += " (SocketException.ErrorCode was " + e.ErrorCode + ")";
            return text;
        }

        private static JsonObject Kind(string kind)
        {
            var outcome = new JsonObject();
            outcome["kind"] = kind;
            return outcome;
        }
    }
}
