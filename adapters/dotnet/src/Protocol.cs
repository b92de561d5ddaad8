// The request/reply loop of spec/adapter-protocol.md: one JSON object per
// line on stdin, one reply per line on stdout, nothing else on stdout.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace EndAcceptAdapter
{
    // The adapter could not perform a request at all (`ok: false`). An
    // exception thrown by the implementation under test is never one of these:
    // it becomes an outcome.
    public sealed class AdapterError : Exception
    {
        public readonly string Code;

        private AdapterError(string code, string message) : base(message) { Code = code; }

        public static AdapterError Unsupported(string message) { return new AdapterError("unsupported", message); }
        public static AdapterError BadRequest(string message) { return new AdapterError("bad_request", message); }
        public static AdapterError UnknownName(string message) { return new AdapterError("unknown_name", message); }
        public static AdapterError Internal(string message) { return new AdapterError("internal", message); }
    }

    // Typed access to a request's `args`; a missing or mistyped field is the
    // harness's mistake, hence bad_request.
    public sealed class Args
    {
        private readonly JsonObject fields;

        public Args(JsonObject fields) { this.fields = fields ?? new JsonObject(); }

        public bool Has(string key) { return fields.ContainsKey(key); }

        public bool IsNull(string key)
        {
            object value;
            return !fields.TryGetValue(key, out value) || value == null;
        }

        public object Raw(string key)
        {
            object value;
            return fields.TryGetValue(key, out value) ? value : null;
        }

        public string String(string key)
        {
            var s = Raw(key) as string;
            if (s == null) throw AdapterError.BadRequest("args." + key + " must be a string");
            return s;
        }

        public string OptionalString(string key, string fallback)
        {
            return IsNull(key) ? fallback : String(key);
        }

        public string Name(string key)
        {
            string name = String(key);
            if (!Names.IsValid(name)) throw AdapterError.BadRequest("args." + key + " is not a valid name: " + name);
            return name;
        }

        public string OptionalName(string key)
        {
            return IsNull(key) ? null : Name(key);
        }

        public int Int(string key)
        {
            object value = Raw(key);
            if (!(value is long)) throw AdapterError.BadRequest("args." + key + " must be an integer");
            long l = (long)value;
            if (l < int.MinValue || l > int.MaxValue) throw AdapterError.BadRequest("args." + key + " is out of range");
            return (int)l;
        }

        public int OptionalInt(string key, int fallback)
        {
            return IsNull(key) ? fallback : Int(key);
        }

        public bool Bool(string key)
        {
            object value = Raw(key);
            if (!(value is bool)) throw AdapterError.BadRequest("args." + key + " must be a boolean");
            return (bool)value;
        }

        public JsonObject OptionalObject(string key)
        {
            if (IsNull(key)) return null;
            var obj = Raw(key) as JsonObject;
            if (obj == null) throw AdapterError.BadRequest("args." + key + " must be an object or null");
            return obj;
        }
    }

    public sealed class ProtocolLoop
    {
        public const int MaxLineBytes = 1024 * 1024;
        // The id of a reply to a request whose own id cannot be read; no request uses it.
        private const long UnreadableId = 0;

        private readonly Dictionary<string, Func<Args, JsonObject>> handlers;
        private readonly Dictionary<string, ArgumentRules> argumentRules = ArgumentRules.ForEveryOperation();
        // Refuses bytes that are not UTF-8 instead of replacing them, so the
        // adapter reads a line exactly as the C++ host does.
        private readonly UTF8Encoding strictUtf8 = new UTF8Encoding(false, true);
        private bool greeted;
        private long lastId;

        public ProtocolLoop(Operations operations)
        {
            handlers = operations.Handlers();
        }

        // Returns when stdin reaches end of file.
        public void Run()
        {
            var input = new LineReader(Console.OpenStandardInput(), MaxLineBytes);
            var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            byte[] line;
            bool tooLong;
            while (input.Next(out line, out tooLong))
            {
                string reply;
                if (tooLong) reply = ErrorReply(UnreadableId, "bad_request", "request line longer than 1 MiB");
                else if (IsBlank(line)) continue; // a blank line is no request and gets no reply
                else reply = Answer(line);
                // One Write per reply, then flush: the harness reads whole lines.
                output.Write(reply + "\n");
                output.Flush();
            }
        }

        private static bool IsBlank(byte[] line)
        {
            foreach (byte b in line)
                if (b != ' ' && b != '\t') return false;
            return true;
        }

        private string Answer(byte[] line)
        {
            long id = UnreadableId;
            try
            {
                object parsed;
                try
                {
                    parsed = Json.Parse(strictUtf8.GetString(line));
                }
                catch (DecoderFallbackException)
                {
                    throw AdapterError.BadRequest("request is not valid UTF-8");
                }
                catch (JsonException e)
                {
                    throw AdapterError.BadRequest("request is not valid JSON: " + e.Message);
                }
                var request = parsed as JsonObject;
                if (request == null) throw AdapterError.BadRequest("request is not a JSON object");
                object rawId;
                if (!request.TryGetValue("id", out rawId) || !(rawId is long) || (long)rawId < 1)
                    throw AdapterError.BadRequest("request has no integer id >= 1");
                id = (long)rawId;
                if (id <= lastId)
                    throw AdapterError.BadRequest("id " + id + " is not greater than the last id " + lastId);
                lastId = id;

                foreach (string key in request.Keys)
                    if (key != "id" && key != "op" && key != "args") throw AdapterError.BadRequest("unknown request member " + key);
                object rawOp;
                request.TryGetValue("op", out rawOp);
                var op = rawOp as string;
                if (op == null) throw AdapterError.BadRequest("request has no string op");
                object rawArgs;
                request.TryGetValue("args", out rawArgs);
                var args = rawArgs as JsonObject;
                if (args == null) throw AdapterError.BadRequest("request has no args object");

                Func<Args, JsonObject> handler;
                if (!handlers.TryGetValue(op, out handler)) throw AdapterError.Unsupported("unknown operation " + op);
                if (op == "hello" && greeted) throw AdapterError.BadRequest("hello was already answered");
                if (op != "hello" && !greeted) throw AdapterError.BadRequest("the first request must be hello");
                argumentRules[op].Check(args);

                JsonObject result = handler(new Args(args));
                // A refused hello (e.g. an unsupported version) may be retried.
                if (op == "hello") greeted = true;

                var reply = new JsonObject();
                reply["id"] = id;
                reply["ok"] = true;
                reply["result"] = result;
                return Json.Write(reply);
            }
            catch (AdapterError e)
            {
                return ErrorReply(id, e.Code, e.Message);
            }
            catch (Exception e)
            {
                // A bug in the adapter, not an outcome of the implementation.
                Console.Error.WriteLine("adapter: internal error: " + e);
                return ErrorReply(id, "internal", e.GetType().FullName + ": " + e.Message);
            }
        }

        private static string ErrorReply(long id, string code, string message)
        {
            var error = new JsonObject();
            error["code"] = code;
            error["message"] = message;
            var reply = new JsonObject();
            reply["id"] = id;
            reply["ok"] = false;
            reply["error"] = error;
            return Json.Write(reply);
        }
    }

    // Splits stdin into lines at '\n' only (StreamReader.ReadLine also splits
    // at a lone '\r') and never holds more than the limit, so a runaway line
    // cannot exhaust memory and the stream stays in sync.
    public sealed class LineReader
    {
        private readonly Stream input;
        private readonly int maxBytes;
        private readonly byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        public LineReader(Stream input, int maxBytes)
        {
            this.input = input;
            this.maxBytes = maxBytes;
        }

        // False at end of input. A last line without '\n' is still a line;
        // a '\r' before the '\n' is dropped. Past the limit, `tooLong` is set
        // and the rest of the line is discarded.
        public bool Next(out byte[] line, out bool tooLong)
        {
            var text = new MemoryStream();
            tooLong = false;
            bool readAny = false;
            while (true)
            {
                if (start == end)
                {
                    start = 0;
                    end = input.Read(buffer, 0, buffer.Length);
                    if (end <= 0)
                    {
                        end = 0;
                        line = text.ToArray();
                        return readAny;
                    }
                }
                readAny = true;
                int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                int stop = newline < 0 ? end : newline;
                int room = maxBytes - (int)text.Length;
                int take = Math.Min(stop - start, Math.Max(room, 0));
                if (stop - start > take) tooLong = true;
                text.Write(buffer, start, take);
                start = newline < 0 ? end : newline + 1;
                if (newline >= 0) break;
            }
            line = text.ToArray();
            if (!tooLong && line.Length > 0 && line[line.Length - 1] == '\r') Array.Resize(ref line, line.Length - 1);
            return true;
        }
    }
}
