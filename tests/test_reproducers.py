"""reports/repro/<case-id>.cs: one standalone C# program per case with a
deviation recorded for dotnet or mono. They are current (regenerate with
`python3 run_conformance.py --repro`), and each, compiled with mcs and run
on Mono, and built with the .NET SDK and run on the installed .NET,
reproduces exactly what that runtime's expectations record: exit 1 where a
deviation is recorded, 0 where the runtime passes the case, never 2 (the
reproducer could not run)."""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from conformance.model.vocabulary import FLAKY
from conformance.paths import relative
from conformance.views import reproducer

# Reproducers wait like the cases they come from (up to 7 s for an expected
# TIMEOUT); a loaded machine gets the same generous factor as the suite.
SCALE = os.environ.get("EA_REPRO_TIMEOUT_SCALE", "2")
RUN_LIMIT_S = 120
BUILD_LIMIT_S = 600
QUIET_DOTNET = {"DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE": "1"}


def _files() -> dict:
    return {case_id: reproducer.repro_path(case_id) for case_id in reproducer.reproduced_case_ids()}


class ReproducersAreCurrentTest(unittest.TestCase):

    def test_every_reproducer_is_current(self):
        stale = [relative(path) for path in reproducer.stale()]
        self.assertEqual(stale, [], "stale: run python3 run_conformance.py --repro")

    def test_every_recorded_deviation_has_one(self):
        for runtime in reproducer.RUNTIMES:
            for case_id in reproducer.recorded_deviations(runtime):
                self.assertTrue(reproducer.repro_path(case_id).exists(), f"{runtime}: {case_id} has no reproducer")

    def test_an_op_without_csharp_is_refused_with_the_case_named(self):
        case = {"id": "trace/x", "file": "cases/trace.json", "level": "INFO", "clauses": ["EA-TRACE"], "title": "t",
                "explanation": "e", "steps": [{"op": "set_tracing", "enabled": True}]}
        with self.assertRaisesRegex(Exception, r"cases/trace\.json: case trace/x .*set_tracing"):
            reproducer.render_reproducer(case)


class _RuntimeRun(unittest.TestCase):
    runtime = ""

    def run_each(self, command_of):
        recorded = reproducer.recorded_deviations(self.runtime)
        for case_id, path in _files().items():
            with self.subTest(case=case_id):
                try:
                    done = subprocess.run(command_of(case_id, path) + ["--timeout-scale", SCALE], capture_output=True,
                                          text=True, timeout=RUN_LIMIT_S, stdin=subprocess.DEVNULL)
                except subprocess.TimeoutExpired:
                    self.fail(f"{case_id} on {self.runtime} did not end within {RUN_LIMIT_S} s")
                shown = f"{case_id} on {self.runtime}:\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
                self.assertNotEqual(done.returncode, 2, "the reproducer could not run: " + shown)
                status = recorded.get(case_id)
                if status == FLAKY:
                    self.assertIn(done.returncode, (0, 1), shown)
                elif status:
                    self.assertEqual(done.returncode, 1, f"{status} is recorded, but the reproducer conforms: {shown}")
                    self.assertIn("DEVIATES", done.stdout)
                else:
                    self.assertEqual(done.returncode, 0, f"nothing is recorded, but the reproducer deviates: {shown}")
                    self.assertIn("CONFORMS", done.stdout)


@unittest.skipUnless(shutil.which("mcs") and shutil.which("mono"), "mcs or mono is not installed")
class ReproducersOnMonoTest(_RuntimeRun):
    runtime = "mono"

    def test_each_reproduces_exactly_what_is_recorded_for_mono(self):
        with tempfile.TemporaryDirectory(prefix="endaccept-repro-") as scratch:
            def compiled(case_id, path):
                program = Path(scratch) / (case_id.replace("/", "--") + ".exe")
                built = subprocess.run(["mcs", "-langversion:6", "-warnaserror+", f"-out:{program}", str(path)],
                                       capture_output=True, text=True, timeout=BUILD_LIMIT_S)
                self.assertEqual(built.returncode, 0, f"mcs {relative(path)}:\n{built.stdout}{built.stderr}")
                return ["mono", str(program)]
            self.run_each(compiled)


@unittest.skipUnless(shutil.which("dotnet"), "the .NET SDK is not installed")
class ReproducersOnDotnetTest(_RuntimeRun):
    """One small project holds every reproducer (each in its own namespace)
    and a dispatcher that starts the one named, so the SDK builds once."""
    runtime = "dotnet"

    def test_each_reproduces_exactly_what_is_recorded_for_dotnet(self):
        with tempfile.TemporaryDirectory(prefix="endaccept-repro-dotnet-") as scratch:
            project = Path(scratch)
            files = _files()
            self._write_project(project, files)
            built = subprocess.run(["dotnet", "build", str(project / "Reproducers.csproj"), "--configuration", "Release",
                                    "--output", str(project / "out"), "--nologo", "--verbosity", "quiet"],
                                   capture_output=True, text=True, timeout=BUILD_LIMIT_S,
                                   env=dict(os.environ, **QUIET_DOTNET), stdin=subprocess.DEVNULL)
            self.assertEqual(built.returncode, 0, f"dotnet build:\n{built.stdout[-4000:]}{built.stderr[-2000:]}")
            program = str(project / "out" / "Reproducers.dll")
            self.run_each(lambda case_id, path: ["dotnet", program, case_id])

    @staticmethod
    def _write_project(project: Path, files: dict) -> None:
        compile_items = "\n".join(f'    <Compile Include="{path}" />' for path in files.values())
        (project / "Reproducers.csproj").write_text(f"""<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <LangVersion>6</LangVersion>
    <Nullable>disable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <UseAppHost>false</UseAppHost>
    <InvariantGlobalization>true</InvariantGlobalization>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
    <StartupObject>Dispatch</StartupObject>
  </PropertyGroup>
  <ItemGroup>
{compile_items}
    <Compile Include="Dispatch.cs" />
  </ItemGroup>
</Project>
""", encoding="utf-8")
        # No package is needed: the restore stays offline.
        (project / "nuget.config").write_text('<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources>'
                                              '<clear /></packageSources></configuration>\n', encoding="utf-8")
        cases = "\n".join(f'            case "{case_id}": return {reproducer.namespace_of(case_id)}.Reproducer.Main(rest);'
                          for case_id in files)
        (project / "Dispatch.cs").write_text(f"""using System;

public static class Dispatch
{{
    public static int Main(string[] args)
    {{
        var rest = new string[args.Length - 1];
        Array.Copy(args, 1, rest, 0, rest.Length);
        switch (args[0])
        {{
{cases}
            default: return 2;
        }}
    }}
}}
""", encoding="utf-8")


if __name__ == "__main__":
    unittest.main()
