using System.CommandLine;
using CaseBot.Core;

namespace CaseBot.Cli.Commands;

/// <summary>The <c>casebot</c> command tree. Each command lives in its own file.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var profile = BotProfile.Load();
        var root = new RootCommand(profile.Summary);
        var serve = new Command("serve", "Run the web console and every configured chat adapter (Discord, Slack).");
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((parse, ct) => CaseBot.Web.ServeCommand.RunAsync(parse.UnmatchedTokens.ToArray(), ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(AdapterOnly("discord", "Run only the Discord adapter, with the same moderation, metrics and health endpoints as serve, no web console.",
            (args, ct) => CaseBot.Web.ServeCommand.RunAdapterAsync(args, CaseBot.Web.Hosting.HostSurfaces.Discord, ct)));
        root.Subcommands.Add(AdapterOnly("slack", "Run only the Slack adapter, with the same moderation, metrics and health endpoints as serve, no web console.",
            (args, ct) => CaseBot.Web.ServeCommand.RunAdapterAsync(args, CaseBot.Web.Hosting.HostSurfaces.Slack, ct)));
        root.Subcommands.Add(AskCommand.Create(profile));
        root.Subcommands.Add(ReindexCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(Int8BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PurgeCommand.Create());
        // serve handles SIGTERM itself (finish questions in flight, close sockets); System.CommandLine's own
        // 2-second termination timeout would cut that short.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>A command that passes its remaining arguments (configuration switches) to an adapter runner.</summary>
    private static Command AdapterOnly(string name, string description, Func<string[], CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, ct) => run(parse.UnmatchedTokens.ToArray(), ct));
        return command;
    }
}
