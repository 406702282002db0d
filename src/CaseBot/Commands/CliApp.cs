using System.CommandLine;
using CaseBot.Core;

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
        root.Subcommands.Add(AdapterOnly("discord", "Run only the Discord adapter (serve runs it with the web console).",
            (args, ct) => CaseBot.Discord.DiscordCommand.RunAsync(args, AddCoreAndInsights, ct)));
        root.Subcommands.Add(AdapterOnly("slack", "Run only the Slack adapter in Socket Mode (serve runs it with the web console).",
            (args, ct) => CaseBot.Slack.Hosting.SlackCommand.RunAsync(args, AddCoreAndInsights, ct)));
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(ReindexCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PurgeCommand.Create());
        // serve handles SIGTERM itself (finish questions in flight, close sockets); System.CommandLine's own
        // 2-second termination timeout would cut that short.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>What a one-adapter process shares with serve: the engine, the insight store (an answer observer and
    /// the vote sink) and the follow-up memory.</summary>
    private static void AddCoreAndInsights(Microsoft.Extensions.DependencyInjection.IServiceCollection services,
        Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddCaseBotCore(configuration);
        CaseBot.Insights.InsightsServiceCollectionExtensions.AddCaseBotInsights(services, configuration);
        Core.Conversations.ConversationServiceCollectionExtensions.AddCaseBotConversations(services, configuration);
    }

    /// <summary>A command that passes its remaining arguments (configuration switches) to an adapter runner.</summary>
    private static Command AdapterOnly(string name, string description, Func<string[], CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, ct) => run(parse.UnmatchedTokens.ToArray(), ct));
        return command;
    }
}
