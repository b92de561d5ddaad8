// Capability `tracing`: the contract says EndAccept "outputs trace
// information when network tracing is enabled". On .NET that tracing is the
// System.Net event sources, which an in-process EventListener can capture.
// Mono's sockets write to no event source, so the capability is not declared
// there.
using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Text;

namespace EndAcceptAdapter
{
    public sealed class SocketTracing : EventListener
    {
        // The sockets' event sources: the internal diagnostics one carries the
        // per-call traces (NetEventSource), the public one the telemetry
        // events. Their names changed across versions (.NET Core 3.1's is
        // "Microsoft-System-Net-Sockets", .NET 5's and later
        // "Private.InternalDiagnostics.System.Net.Sockets"), so a source is
        // recognized by the name's last parts, whatever the separator.
        private const string SocketsSourceSuffix = "System.Net.Sockets";

        private static bool IsSocketsSource(EventSource source)
        {
            return source.Name.Replace('-', '.').EndsWith(SocketsSourceSuffix, StringComparison.Ordinal);
        }

        // Initialized before the base constructor runs, which already calls
        // OnEventSourceCreated for every existing source.
        private readonly List<string> captured = new List<string>();

        public static bool IsAvailable { get { return !RuntimeInfo.IsMono; } }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (IsSocketsSource(source))
                EnableEvents(source, EventLevel.Verbose, EventKeywords.All);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            string line = Format(e);
            // Only what concerns accepting: the per-call sources are chatty.
            if (line.IndexOf("accept", StringComparison.OrdinalIgnoreCase) < 0) return;
            lock (captured) captured.Add(line);
        }

        public List<object> Events()
        {
            lock (captured) return captured.Cast<object>().ToList();
        }

        private static string Format(EventWrittenEventArgs e)
        {
            var sb = new StringBuilder();
            sb.Append(e.EventSource.Name).Append('/').Append(e.EventName ?? ("event " + e.EventId));
            if (e.Payload != null && e.Payload.Count > 0)
            {
                sb.Append(':');
                for (int i = 0; i < e.Payload.Count; i++)
                {
                    string key = e.PayloadNames != null && i < e.PayloadNames.Count ? e.PayloadNames[i] : "arg" + i;
                    sb.Append(' ').Append(key).Append('=').Append(e.Payload[i]);
                }
            }
            return sb.ToString();
        }
    }

    public sealed partial class Operations
    {
        private SocketTracing tracing;

        private JsonObject SetTracing(Args args)
        {
            if (!SocketTracing.IsAvailable) throw AdapterError.Unsupported("tracing is not available on this runtime");
            bool enabled = args.Bool("enabled");
            if (enabled && tracing == null) tracing = new SocketTracing();
            if (!enabled && tracing != null)
            {
                tracing.Dispose();
                tracing = null;
            }
            return new JsonObject();
        }

        private JsonObject TraceEvents(Args args)
        {
            if (!SocketTracing.IsAvailable) throw AdapterError.Unsupported("tracing is not available on this runtime");
            var reply = new JsonObject();
            reply["events"] = tracing == null ? new List<object>() : tracing.Events();
            return reply;
        }
    }
}
