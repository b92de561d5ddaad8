// A small JSON reader/writer. The adapter must build with Mono's mcs as well
// as the .NET SDK, and Mono's class library has no System.Text.Json, so the
// protocol's JSON is handled here without any package.
//
// Representation: object -> JsonObject (keys in insertion order),
// array -> List<object>, string -> string, number -> long when integral,
// else double, true/false -> bool, null -> null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace EndAcceptAdapter
{
    public sealed class JsonException : Exception
    {
        public JsonException(string message) : base(message) { }
    }

    // A JSON object that keeps its keys in insertion order, so replies read
    // in the order they were built (Dictionary's enumeration order is
    // unspecified).
    public sealed class JsonObject
    {
        private readonly Dictionary<string, object> values = new Dictionary<string, object>();
        private readonly List<string> order = new List<string>();

        public object this[string key]
        {
            get { return values[key]; }
            set
            {
                if (!values.ContainsKey(key)) order.Add(key);
                values[key] = value;
            }
        }

        public bool ContainsKey(string key) { return values.ContainsKey(key); }

        public int Count { get { return order.Count; } }

        public bool TryGetValue(string key, out object value) { return values.TryGetValue(key, out value); }

        public IEnumerable<string> Keys { get { return order; } }
    }

    public static class Json
    {
        public static object Parse(string text)
        {
            var reader = new Reader(text);
            reader.SkipWhitespace();
            object value = reader.ReadValue();
            reader.SkipWhitespace();
            if (!reader.AtEnd) throw new JsonException("trailing characters after JSON value");
            return value;
        }

        public static string Write(object value)
        {
            var sb = new StringBuilder();
            WriteValue(sb, value);
            return sb.ToString();
        }

        private static void WriteValue(StringBuilder sb, object value)
        {
            if (value == null) { sb.Append("null"); return; }
            var s = value as string;
            if (s != null) { WriteString(sb, s); return; }
            if (value is bool) { sb.Append((bool)value ? "true" : "false"); return; }
            if (value is int || value is long || value is short || value is byte || value is uint)
            {
                sb.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                return;
            }
            if (value is double || value is float)
            {
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d)) throw new JsonException("non-finite number");
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            }
            var jo = value as JsonObject;
            if (jo != null)
            {
                sb.Append('{');
                bool first = true;
                foreach (var key in jo.Keys)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    WriteValue(sb, jo[key]);
                }
                sb.Append('}');
                return;
            }
            var list = value as System.Collections.IEnumerable;
            if (list != null)
            {
                sb.Append('[');
                bool first = true;
                foreach (var item in list)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteValue(sb, item);
                }
                sb.Append(']');
                return;
            }
            throw new JsonException("cannot write a " + value.GetType().FullName + " as JSON");
        }

        // Everything outside printable ASCII is escaped, so the output is
        // plain ASCII whatever the console encoding is (Latin-1 payload bytes
        // travel as \u00XX).
        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20 || c > 0x7e)
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        private sealed class Reader
        {
            // Deep nesting cannot occur in the protocol; the cap keeps a
            // hostile line from overflowing the stack.
            private const int MaxDepth = 64;
            private readonly string text;
            private int pos;
            private int depth;

            public Reader(string text) { this.text = text; }

            public bool AtEnd { get { return pos >= text.Length; } }

            public void SkipWhitespace()
            {
                while (pos < text.Length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
                    pos++;
            }

            public object ReadValue()
            {
                if (AtEnd) throw Error("unexpected end of input");
                char c = text[pos];
                switch (c)
                {
                    case '{': return ReadObject();
                    case '[': return ReadArray();
                    case '"': return ReadString();
                    case 't': ExpectWord("true"); return true;
                    case 'f': ExpectWord("false"); return false;
                    case 'n': ExpectWord("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                        throw Error("unexpected character '" + c + "'");
                }
            }

            private JsonObject ReadObject()
            {
                Enter();
                pos++; // '{'
                var obj = new JsonObject();
                SkipWhitespace();
                if (Peek() == '}') { pos++; depth--; return obj; }
                while (true)
                {
                    SkipWhitespace();
                    if (Peek() != '"') throw Error("expected a string key");
                    string key = ReadString();
                    // Readers disagree on which of two equal names wins, so
                    // a request that repeats one means nothing definite.
                    if (obj.ContainsKey(key)) throw Error("repeated member name \"" + key + "\"");
                    SkipWhitespace();
                    Expect(':');
                    SkipWhitespace();
                    obj[key] = ReadValue();
                    SkipWhitespace();
                    char c = Next();
                    if (c == '}') break;
                    if (c != ',') throw Error("expected ',' or '}'");
                }
                depth--;
                return obj;
            }

            private List<object> ReadArray()
            {
                Enter();
                pos++; // '['
                var list = new List<object>();
                SkipWhitespace();
                if (Peek() == ']') { pos++; depth--; return list; }
                while (true)
                {
                    SkipWhitespace();
                    list.Add(ReadValue());
                    SkipWhitespace();
                    char c = Next();
                    if (c == ']') break;
                    if (c != ',') throw Error("expected ',' or ']'");
                }
                depth--;
                return list;
            }

            private string ReadString()
            {
                Expect('"');
                var sb = new StringBuilder();
                while (true)
                {
                    char c = Next();
                    if (c == '"') return sb.ToString();
                    if (c < 0x20) throw Error("control character in string");
                    if (c != '\\') { sb.Append(c); continue; }
                    char e = Next();
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            char unit = ReadHexUnit();
                            if (char.IsLowSurrogate(unit)) throw Error("lone low surrogate escape");
                            sb.Append(unit);
                            if (char.IsHighSurrogate(unit))
                            {
                                if (pos + 2 > text.Length || text[pos] != '\\' || text[pos + 1] != 'u')
                                    throw Error("high surrogate escape without its low surrogate");
                                pos += 2;
                                char low = ReadHexUnit();
                                if (!char.IsLowSurrogate(low)) throw Error("high surrogate escape without its low surrogate");
                                sb.Append(low);
                            }
                            break;
                        default: throw Error("bad escape '\\" + e + "'");
                    }
                }
            }

            // The four hex digits after \u.
            private char ReadHexUnit()
            {
                if (pos + 4 > text.Length) throw Error("truncated \\u escape");
                int code = 0;
                for (int i = 0; i < 4; i++)
                {
                    char h = text[pos++];
                    int digit = h >= '0' && h <= '9' ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (digit < 0) throw Error("bad \\u escape");
                    code = code * 16 + digit;
                }
                return (char)code;
            }

            // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. An
            // integer within long is a long; any other number a double, and
            // one too large for a double is refused rather than made infinite.
            private object ReadNumber()
            {
                int start = pos;
                if (Peek() == '-') pos++;
                if (AtEnd || !IsDigit(text[pos])) throw Error("bad number");
                if (text[pos] == '0') pos++;
                else SkipDigits();
                bool integral = true;
                if (!AtEnd && text[pos] == '.')
                {
                    integral = false;
                    pos++;
                    if (AtEnd || !IsDigit(text[pos])) throw Error("bad number: no digit after '.'");
                    SkipDigits();
                }
                if (!AtEnd && (text[pos] == 'e' || text[pos] == 'E'))
                {
                    integral = false;
                    pos++;
                    if (!AtEnd && (text[pos] == '+' || text[pos] == '-')) pos++;
                    if (AtEnd || !IsDigit(text[pos])) throw Error("bad number: no digit in the exponent");
                    SkipDigits();
                }
                string token = text.Substring(start, pos - start);
                long l;
                if (integral && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l))
                    return l;
                double d;
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out d) || double.IsInfinity(d))
                    throw Error("number out of range '" + token + "'");
                return d;
            }

            private static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

            private void SkipDigits()
            {
                while (!AtEnd && IsDigit(text[pos])) pos++;
            }

            private void ExpectWord(string word)
            {
                if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) throw Error("expected '" + word + "'");
                pos += word.Length;
            }

            private void Expect(char c)
            {
                if (Next() != c) throw Error("expected '" + c + "'");
            }

            private char Peek()
            {
                if (AtEnd) throw Error("unexpected end of input");
                return text[pos];
            }

            private char Next()
            {
                char c = Peek();
                pos++;
                return c;
            }

            private void Enter()
            {
                if (++depth > MaxDepth) throw Error("nesting too deep");
            }

            private JsonException Error(string what)
            {
                return new JsonException(what + " at offset " + pos);
            }
        }
    }
}
