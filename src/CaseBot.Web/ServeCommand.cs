namespace CaseBot.Web;

/// <summary>Entry point of <c>casebot serve</c>: one host for the web console and every configured adapter.</summary>
public static class ServeCommand
{
    /// <summary>Runs until SIGTERM / Ctrl+C; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        Console.Error.WriteLine("casebot serve is not built yet (issue 6).");
        return Task.FromResult(2);
    }
}
