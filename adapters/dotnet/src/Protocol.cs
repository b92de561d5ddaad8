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
        private readonly Dictionary<string, Func<Args, JsonObject>> handlers;
        private bool helloDone;

        public ProtocolLoop(Operations operations)
        {
            handlers = operations.Handlers();
        }

        // Returns when stdin reaches end of file.
        public void Run()
        {
            var utf8 = new UTF8Encoding(false);
            var input = new StreamReader(Console.OpenStandardInput(), utf8);
            var output = new StreamWriter(Console.OpenStandardOutput(), utf8);
            string line;
            while ((line = input.ReadLine()) != null)
            {
                if (line.Trim().Length == 0) continue;
                // One Write per reply, then flush: the harness reads whole lines.
                output.Write(Handle(line) + "\n");
                output.Flush();
            }
        }

        private string Handle(string line)
        {
            object id = 0L;
            try
            {
                var request = Json.Parse(line) as JsonObject;
                if (request == null) throw AdapterError.BadRequest("request is not a JSON object");
                if (request.ContainsKey("id") && request["id"] is long) id = request["id"];
                else throw AdapterError.BadRequest("request has no integer id");

                var op = request.ContainsKey("op") ? request["op"] as string : null;
                if (op == null) throw AdapterError.BadRequest("request has no op");
                object rawArgs = request.ContainsKey("args") ? request["args"] : null;
                if (rawArgs != null && !(rawArgs is JsonObject)) throw AdapterError.BadRequest("args must be an object");

                Func<Args, JsonObject> handler;
                if (!handlers.TryGetValue(op, out handler)) throw AdapterError.Unsupported("unknown operation " + op);
                if (!helloDone && op != "hello") throw AdapterError.BadRequest("the first request must be hello");

                JsonObject result = handler(new Args((JsonObject)rawArgs));
                if (op == "hello") helloDone = true;

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
            catch (JsonException e)
            {
                return ErrorReply(id, "bad_request", "malformed JSON: " + e.Message);
            }
            catch (Exception e)
            {
                // A bug in the adapter, not an outcome of the implementation.
                Console.Error.WriteLine("adapter: internal error: " + e);
                return ErrorReply(id, "internal", e.GetType().FullName + ": " + e.Message);
            }
        }

        private static string ErrorReply(object id, string code, string message)
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
}
