// The arguments each operation takes (spec/adapter-protocol.md,
// "Arguments"). They are checked as a whole before the operation runs, so a
// malformed request is refused before any name is looked up or anything is
// called.
using System;
using System.Collections.Generic;

namespace EndAcceptAdapter
{
    public enum ArgumentKind
    {
        Name,        // ^[A-Za-z][A-Za-z0-9_-]{0,31}$
        Text,        // any string
        Integer,     // any signed 64-bit integer
        Count,       // 0 .. 2^31-1 (timeouts, backlog, call counts)
        ByteCount,   // 0 .. 65536
        Port,        // 1 .. 65535
        Flag,        // true or false
        Names,       // 1 to 8 names, no repeats
        Family,      // "ipv4" | "ipv6"
        Callback,    // "none" | "record" | "end_in_callback" | "begin_again" | "close_listener"
        ForeignKind, // "other-operation" | "caller-made"
        State,       // null | {"socket": name} | {"object": name}
    }

    public enum Presence
    {
        Required,         // present and not null
        RequiredNullable, // present; null is a meaningful value
        Optional,         // absent and null both mean "not given"
    }

    public sealed class ArgumentRule
    {
        public readonly string Key;
        public readonly ArgumentKind Kind;
        public readonly Presence Presence;

        public ArgumentRule(string key, ArgumentKind kind, Presence presence = Presence.Required)
        {
            Key = key;
            Kind = kind;
            Presence = presence;
        }
    }

    public sealed class ArgumentRules
    {
        public const long MaxCount = int.MaxValue;
        public const long MaxByteCount = 65536;

        private readonly ArgumentRule[] fields;
        // Rules between fields (e.g. accept_as only with the callbacks that accept).
        private readonly Action<JsonObject> acrossFields;

        public ArgumentRules(ArgumentRule[] fields, Action<JsonObject> acrossFields = null)
        {
            this.fields = fields;
            this.acrossFields = acrossFields;
        }

        public static Dictionary<string, ArgumentRules> ForEveryOperation()
        {
            var rules = new Dictionary<string, ArgumentRules>();
            rules["hello"] = Of(Field("protocol", ArgumentKind.Integer));
            rules["listen"] = Of(Field("socket", ArgumentKind.Name), Field("family", ArgumentKind.Family), Field("backlog", ArgumentKind.Count));
            rules["begin_accept"] = new ArgumentRules(new[] {
                Field("socket", ArgumentKind.Name), Field("result", ArgumentKind.Name),
                new ArgumentRule("state", ArgumentKind.State, Presence.RequiredNullable),
                Field("callback", ArgumentKind.Callback),
                new ArgumentRule("accept_as", ArgumentKind.Name, Presence.Optional),
                new ArgumentRule("receive", ArgumentKind.ByteCount, Presence.Optional),
                new ArgumentRule("next_result", ArgumentKind.Name, Presence.Optional) }, BeginAcceptAcrossFields);
            rules["end_accept"] = new ArgumentRules(new[] {
                Field("socket", ArgumentKind.Name), new ArgumentRule("result", ArgumentKind.Name, Presence.RequiredNullable),
                new ArgumentRule("as", ArgumentKind.Name, Presence.Optional), new ArgumentRule("task", ArgumentKind.Name, Presence.Optional),
                new ArgumentRule("park", ArgumentKind.Flag, Presence.Optional),
                new ArgumentRule("when_completed_ms", ArgumentKind.Count, Presence.Optional) }, EndAcceptAcrossFields);
            rules["release_tasks"] = Of(Field("tasks", ArgumentKind.Names));
            rules["await_task"] = Of(Field("task", ArgumentKind.Name), Field("timeout_ms", ArgumentKind.Count));
            rules["make_foreign_result"] = new ArgumentRules(new[] {
                Field("result", ArgumentKind.Name), Field("kind", ArgumentKind.ForeignKind),
                new ArgumentRule("port", ArgumentKind.Port, Presence.Optional) }, MakeForeignResultAcrossFields);
            rules["close"] = Of(Field("socket", ArgumentKind.Name));
            rules["result_info"] = Of(Field("result", ArgumentKind.Name));
            rules["wait_handle"] = Of(Field("result", ArgumentKind.Name), Field("timeout_ms", ArgumentKind.Count));
            rules["callback_info"] = Of(Field("result", ArgumentKind.Name), Field("min_calls", ArgumentKind.Count), Field("timeout_ms", ArgumentKind.Count));
            rules["collect_received"] = Of(Field("socket", ArgumentKind.Name), Field("count", ArgumentKind.ByteCount), Field("timeout_ms", ArgumentKind.Count));
            rules["socket_info"] = Of(Field("socket", ArgumentKind.Name));
            rules["send"] = Of(Field("socket", ArgumentKind.Name), Field("data", ArgumentKind.Text));
            rules["receive"] = Of(Field("socket", ArgumentKind.Name), Field("count", ArgumentKind.ByteCount), Field("timeout_ms", ArgumentKind.Count));
            rules["set_tracing"] = Of(Field("enabled", ArgumentKind.Flag));
            rules["trace_events"] = Of();
            rules["forget_state"] = Of(Field("object", ArgumentKind.Name));
            return rules;
        }

        private static ArgumentRules Of(params ArgumentRule[] fields) { return new ArgumentRules(fields); }

        private static ArgumentRule Field(string key, ArgumentKind kind) { return new ArgumentRule(key, kind); }

        // Throws AdapterError.BadRequest unless `args` fit these rules.
        public void Check(JsonObject args)
        {
            foreach (string key in args.Keys)
            {
                ArgumentRule rule = Array.Find(fields, f => f.Key == key);
                if (rule == null) throw AdapterError.BadRequest("unknown argument " + key);
                object value = args[key];
                if (value == null && rule.Presence != Presence.Required) continue;
                CheckValue(rule, value);
            }
            foreach (ArgumentRule rule in fields)
            {
                if (rule.Presence != Presence.Optional && !args.ContainsKey(rule.Key))
                    throw Malformed(rule.Key, "given");
            }
            if (acrossFields != null) acrossFields(args);
        }

        private static void CheckValue(ArgumentRule rule, object value)
        {
            switch (rule.Kind)
            {
                case ArgumentKind.Name:
                    if (!Names.IsValid(value as string)) throw Malformed(rule.Key, "a name matching ^[A-Za-z][A-Za-z0-9_-]{0,31}$");
                    return;
                case ArgumentKind.Text:
                    if (!(value is string)) throw Malformed(rule.Key, "a string");
                    return;
                case ArgumentKind.Integer:
                    if (!(value is long)) throw Malformed(rule.Key, "a 64-bit integer");
                    return;
                case ArgumentKind.Count:
                    if (!IsInRange(value, 0, MaxCount)) throw Malformed(rule.Key, "an integer from 0 to 2147483647");
                    return;
                case ArgumentKind.ByteCount:
                    if (!IsInRange(value, 0, MaxByteCount)) throw Malformed(rule.Key, "an integer from 0 to 65536");
                    return;
                case ArgumentKind.Port:
                    if (!IsInRange(value, 1, 65535)) throw Malformed(rule.Key, "an integer from 1 to 65535");
                    return;
                case ArgumentKind.Flag:
                    if (!(value is bool)) throw Malformed(rule.Key, "true or false");
                    return;
                case ArgumentKind.Names:
                {
                    var list = value as System.Collections.Generic.List<object>;
                    if (list == null || list.Count == 0 || list.Count > 8) throw Malformed(rule.Key, "a list of 1 to 8 names");
                    var seen = new System.Collections.Generic.HashSet<string>();
                    foreach (object item in list)
                        if (!Names.IsValid(item as string) || !seen.Add((string)item)) throw Malformed(rule.Key, "a list of distinct names");
                    return;
                }
                case ArgumentKind.Family:
                    if (!IsOneOf(value, "ipv4", "ipv6")) throw Malformed(rule.Key, "ipv4 or ipv6");
                    return;
                case ArgumentKind.Callback:
                    if (!IsOneOf(value, "none", "record", "end_in_callback", "begin_again", "close_listener"))
                        throw Malformed(rule.Key, "none, record, end_in_callback, begin_again or close_listener");
                    return;
                case ArgumentKind.ForeignKind:
                    if (!IsOneOf(value, "other-operation", "caller-made")) throw Malformed(rule.Key, "other-operation or caller-made");
                    return;
                case ArgumentKind.State:
                    if (!IsState(value)) throw Malformed(rule.Key, "null, {\"socket\": name} or {\"object\": name}");
                    return;
            }
            throw AdapterError.Internal("no check for argument kind " + rule.Kind);
        }

        private static bool IsInRange(object value, long low, long high)
        {
            if (!(value is long)) return false;
            long number = (long)value;
            return number >= low && number <= high;
        }

        private static bool IsOneOf(object value, params string[] choices)
        {
            var text = value as string;
            return text != null && Array.IndexOf(choices, text) >= 0;
        }

        private static bool IsState(object value)
        {
            if (value == null) return true;
            var state = value as JsonObject;
            if (state == null || state.Count != 1) return false;
            object name;
            return (state.TryGetValue("socket", out name) || state.TryGetValue("object", out name)) && Names.IsValid(name as string);
        }

        private static bool IsGiven(JsonObject args, string key)
        {
            object value;
            return args.TryGetValue(key, out value) && value != null;
        }

        private static void BeginAcceptAcrossFields(JsonObject args)
        {
            var callback = (string)args["callback"];
            bool endsInCallback = callback == "end_in_callback";
            bool beginsAgain = callback == "begin_again";
            bool closesListener = callback == "close_listener";
            if ((endsInCallback || beginsAgain) && !IsGiven(args, "accept_as"))
                throw Malformed("accept_as", "given with end_in_callback and begin_again");
            if (!endsInCallback && !beginsAgain && !closesListener && IsGiven(args, "accept_as"))
                throw Malformed("accept_as", "absent with callback none and record");
            if (!endsInCallback && IsGiven(args, "receive")) throw Malformed("receive", "absent except with end_in_callback");
            if (beginsAgain != IsGiven(args, "next_result")) throw Malformed("next_result", "given with begin_again only");
            if (beginsAgain || closesListener)
            {
                // The callback takes the listener out of AsyncState.
                var state = args["state"] as JsonObject;
                if (state == null || !state.ContainsKey("socket"))
                    throw Malformed("state", "{\"socket\": name} with this callback");
            }
        }

        // Only a background call can wait at a gate, or for IsCompleted.
        private static void EndAcceptAcrossFields(JsonObject args)
        {
            if (IsGiven(args, "park") && args["park"] is bool && (bool)args["park"] && !IsGiven(args, "task"))
                throw Malformed("park", "given with task only");
            if (IsGiven(args, "when_completed_ms") && !IsGiven(args, "task"))
                throw Malformed("when_completed_ms", "given with task only");
            if (IsGiven(args, "when_completed_ms") && IsGiven(args, "park") && args["park"] is bool && (bool)args["park"])
                throw Malformed("when_completed_ms", "absent with park");
        }

        private static void MakeForeignResultAcrossFields(JsonObject args)
        {
            bool otherOperation = (string)args["kind"] == "other-operation";
            if (otherOperation && !IsGiven(args, "port")) throw Malformed("port", "given with other-operation");
            if (!otherOperation && IsGiven(args, "port")) throw Malformed("port", "absent with caller-made");
        }

        private static AdapterError Malformed(string key, string expected)
        {
            return AdapterError.BadRequest("argument " + key + " must be " + expected);
        }
    }
}
