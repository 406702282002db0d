using System.Diagnostics;

namespace CaseBot.Tests;

/// <summary>Runs the built <c>casebot</c> executable in a scratch folder, with no corpus, index or insight store
/// inherited from the environment, and returns its exit code and output.</summary>
internal static class CasebotCli
{
    private static readonly string[] Inherited = ["CaseBot__CorpusPath", "CaseBot__IndexPath", "Insights__ConnectionString", "Insights__DataPath"];

    public static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "casebot-cli-tests", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static (int Code, string Output, string Error) Run(params string[] args) => Run(args, []);

    public static (int Code, string Output, string Error) Run(string[] args, params (string Name, string Value)[] environment) =>
        Run(TimeSpan.FromMinutes(2), args, environment);

    public static (int Code, string Output, string Error) Run(TimeSpan limit, string[] args, params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Scratch() };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "casebot.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in Inherited) psi.Environment.Remove(name);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("casebot did not finish: " + string.Join(' ', args));
        }
        return (p.ExitCode, output.Result.Trim(), error.Result);
    }
}
