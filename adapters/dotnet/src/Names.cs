// The harness names every object it asks for; the adapter keeps one table per
// kind. Callbacks and background threads store accepted sockets too, so the
// tables are locked.
using System;
using System.Collections.Generic;

namespace EndAcceptAdapter
{
    public static class Names
    {
        // ^[A-Za-z][A-Za-z0-9_-]{0,31}$, checked by hand: a .NET Regex's `$`
        // also matches before a final newline, so "L\n" would pass.
        public static bool IsValid(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 32 || !IsAsciiLetter(name[0])) return false;
            for (int i = 1; i < name.Length; i++)
            {
                char c = name[i];
                if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') return false;
            }
            return true;
        }

        private static bool IsAsciiLetter(char c)
        {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        }
    }

    public sealed class NameTable<T> where T : class
    {
        private readonly string kind;
        private readonly Dictionary<string, T> entries = new Dictionary<string, T>();
        private readonly object gate = new object();

        public NameTable(string kind) { this.kind = kind; }

        // Reusing a name replaces the entry (protocol rule).
        public void Set(string name, T value)
        {
            lock (gate) entries[name] = value;
        }

        public T Get(string name)
        {
            T value;
            if (!TryGet(name, out value)) throw AdapterError.UnknownName("no " + kind + " named " + name);
            return value;
        }

        public bool TryGet(string name, out T value)
        {
            lock (gate) return entries.TryGetValue(name, out value);
        }

        // Drops the entry; false when there was none.
        public bool Remove(string name)
        {
            lock (gate) return entries.Remove(name);
        }

        // The name under which this very object is stored, or null.
        public string NameOf(object value)
        {
            lock (gate)
            {
                foreach (var pair in entries)
                    if (ReferenceEquals(pair.Value, value)) return pair.Key;
            }
            return null;
        }
    }
}
