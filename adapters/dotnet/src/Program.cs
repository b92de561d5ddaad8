// Entry point of the System.Net.Sockets adapter (see README.md beside src/).
using System;
using System.Runtime.InteropServices;

namespace EndAcceptAdapter
{
    public static class Program
    {
        public static int Main(string[] argv)
        {
            string name = "dotnet";
            for (int i = 0; i < argv.Length; i++)
            {
                if (argv[i] == "--name" && i + 1 < argv.Length) name = argv[++i];
                else
                {
                    Console.Error.WriteLine("usage: EndAcceptAdapter [--name NAME]");
                    return 2;
                }
            }

            // The runtime opens a descriptor for stderr the first time it is
            // written to. Open it now, before the harness takes any descriptor
            // baseline, so the adapter's own diagnostics are never counted as
            // a leak of the implementation under test.
            Console.Error.Flush();

            AppDomain.CurrentDomain.UnhandledException += (sender, e) =>
                Console.Error.WriteLine("adapter: unhandled exception: " + e.ExceptionObject);

            new ProtocolLoop(new Operations(name)).Run();

            // stdin is closed: the case is over, and every reply is already
            // flushed. Threads may still be blocked in EndAccept or in a
            // callback. Neither returning from Main (it joins foreground
            // threads) nor Environment.Exit will do: Mono's shutdown suspends
            // every other thread first and was seen to stall for seconds with
            // threads blocked in accept(2). The process ends at once instead.
            Console.Error.Flush();
            ExitNow(0);
            return 0;
        }

        [DllImport("libc", EntryPoint = "_exit")]
        private static extern void ExitNow(int status);
    }
}
