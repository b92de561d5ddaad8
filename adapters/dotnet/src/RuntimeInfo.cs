// Which runtime executes the adapter. The same source runs on .NET and on
// Mono, and the report must say which implementation of System.Net.Sockets
// was under test.
using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EndAcceptAdapter
{
    public static class RuntimeInfo
    {
        private static readonly Type MonoRuntime = Type.GetType("Mono.Runtime");

        public static bool IsMono { get { return MonoRuntime != null; } }

        // e.g. "6.8.0.105 (Debian 6.8.0.105+dfsg-3.3+deb12u1 ...)", or null.
        public static string MonoDisplayName
        {
            get
            {
                if (MonoRuntime == null) return null;
                MethodInfo method = MonoRuntime.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static);
                return method == null ? null : method.Invoke(null, null) as string;
            }
        }

        // "Mono 6.8.0.105" or ".NET 10.0.12": implementation and version only.
        public static string Implementation
        {
            get
            {
                string display = MonoDisplayName;
                if (display != null) return "Mono " + display.Split(' ')[0];
                return ".NET " + Environment.Version;
            }
        }

        public static JsonObject Describe()
        {
            var runtime = new JsonObject();
            runtime["environment_version"] = Environment.Version.ToString();
            runtime["framework_description"] = RuntimeInformation.FrameworkDescription;
            if (IsMono) runtime["mono_version"] = MonoDisplayName;
            return runtime;
        }

        public static string OperatingSystem
        {
            get
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return "linux";
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "windows";
                if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "macos";
                return Environment.OSVersion.Platform.ToString().ToLowerInvariant();
            }
        }

        // Windows hands out SOCKET handles, the others file descriptors.
        public static string HandlePrefix
        {
            get { return RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "handle:" : "fd:"; }
        }
    }
}
