using System.CommandLine;

namespace CaseBot.Cli.Commands;

/// <summary>The <c>casebot</c> command tree. Each command lives in its own file.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("CaseBot answers questions about the London mayor / Met Police / Palantir case, citing its documents.");
        var serve = new Command("serve", "Run the web console and every configured chat adapter (Discord, Slack).");
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((parse, ct) => CaseBot.Web.ServeCommand.RunAsync(parse.UnmatchedTokens.ToArray(), ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(ReindexCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TuneAbstentionCommand.Create());
        // serve handles SIGTERM itself (finish questions in flight, close sockets); System.CommandLine's own
        // 2-second termination timeout would cut that short.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
