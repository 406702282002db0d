using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using D = CaseBot.Discord.Tests.Infrastructure;
using S = CaseBot.Slack.Tests.Infrastructure;

namespace CaseBot.Web.Tests;

/// <summary>
/// Issue 11, "Prove it: load", all surfaces at once: one real <c>serve</c> host (ServeHost, real engine, insight store,
/// moderation gate, metrics) with the Discord adapter against the fake Discord and the Slack adapter against the fake
/// Slack, both connected at the same time. 1,000 questions go through each adapter (50 in flight per adapter, the
/// same seeded mix of mentions and slash commands as each adapter's own load run) while the web console's
/// <c>/api/ask</c> answers <see cref="ConsoleTotal"/> questions spread over the run (each one sent when the adapters
/// have answered their share, <see cref="ConsoleInFlight"/> at a time), and half-way through the adapters' questions
/// a console reindex with a changed corpus swaps builds. The fakes enforce their platforms' channel limits
/// (Discord's 5 per 5 s, Slack's about 1 per second); on the real clock, so the pacing costs real time and the
/// latencies are real. Figures only, never asserted on.
/// </summary>
[Collection(nameof(ServeLoadTests))]
public sealed class ServeLoadTests(ITestOutputHelper output)
{
    private const int Seed = ReliabilityRun.Seed;
    private const int Total = ReliabilityRun.LoadTotal;
    private const int InFlight = ReliabilityRun.LoadInFlight;
    private const int Channels = 100;
    private const int ConsoleTotal = 300;
    private const int ConsoleInFlight = 5;
    private const string AdminToken = "serve-load-admin-token-0123456789";
    private const string DiscordToken = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";
    private const string SlackAppToken = "xapp-1-A111-1111-appsecretvalue";
    private const string SlackBotToken = "xoxb-1111-2222-botsecretvalue";
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_thousand_questions_through_each_adapter_with_the_console_answering_and_a_reindex_half_way_are_each_answered_once()
    {
        await using var discord = await D.FakeDiscord.StartAsync(TimeProvider.System);
        discord.ChannelBucketLimit = 5; // Discord's Create Message: 5 per 5 s per channel
        await using var slack = await S.FakeSlack.StartAsync();
        slack.ChannelInterval = TimeSpan.FromSeconds(1); // Slack: about 1 per second per channel, bursts of 3
        await using var host = await RunningHost.StartAsync(settings:
        [
            "--Moderation:QuestionsPerUser=0", $"--Web:AdminToken={AdminToken}",
            $"--Discord:Token={DiscordToken}", $"--Discord:ApplicationId={D.Events.ApplicationId}", $"--Discord:GuildId={D.Events.GuildId}",
            $"--Discord:ApiBaseUrl={discord.ApiBaseUrl}",
            $"--Slack:AppToken={SlackAppToken}", $"--Slack:BotToken={SlackBotToken}", $"--Slack:ApiBaseUrl={slack.ApiBaseUrl}",
            "--Slack:ChannelMessageInterval=00:00:01", // the shipped pacing
        ]);
        host.Http.Timeout = TimeSpan.FromSeconds(60);
        var gateway = await discord.WaitForConnectionAsync(0, TimeSpan.FromSeconds(30));
        await gateway.SendAsync(D.Events.Hello());
        await gateway.ExpectOpAsync(2);
        await gateway.SendAsync(D.Events.Ready(1, discord.ResumeUrl));
        var link = await slack.NextLinkAsync(TimeSpan.FromSeconds(30));
        var adapters = host.Services.GetServices<IChatAdapter>().ToList();
        Assert.Equal(2, adapters.Count);
        await Wait.UntilAsync(() => adapters.All(a => a.IsConnected));

        var discordFigures = new LoadFigures();
        var slackFigures = new LoadFigures();
        var consoleFigures = new LoadFigures();
        var adapterAnswers = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void AdapterAnswered()
        {
            if (Interlocked.Increment(ref adapterAnswers) == Total) halfway.TrySetResult(); // half of both adapters' 2,000
        }

        var discordRun = DriveDiscordAsync(discord, gateway, discordFigures, AdapterAnswered);
        var slackRun = DriveSlackAsync(slack, link, slackFigures, AdapterAnswered);
        var consoleRun = DriveConsoleAsync(host, consoleFigures, () => Volatile.Read(ref adapterAnswers));
        var reindexRun = Task.Run(async () =>
        {
            await halfway.Task.WaitAsync(RunBound);
            File.WriteAllText(Path.Combine(host.CorpusPath, ReliabilityRun.NewDocumentFile), ReliabilityRun.NewDocumentText);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            using var response = await host.Http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var (discordAsked, interactionOfToken) = await discordRun;
        var slackAsked = await slackRun;
        var consoleStatuses = await consoleRun;
        var reindexed = await reindexRun.WaitAsync(RunBound);
        await host.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)); // in-flight work finishes: the counts are final

        var discordAnswers = D.DiscordAnswers.Count(discord.Served, t => interactionOfToken.GetValueOrDefault(t));
        var slackAnswers = slack.Posted.Snapshot().GroupBy(S.SlackLoadQuestions.QuestionOf).Where(g => g.Key is not null).ToDictionary(g => g.Key!, g => g.Count());
        output.WriteLine($"seed {Seed}, one serve host, real engine, reindex from the console when the adapters had answered {Total} of {2 * Total}:");
        output.WriteLine($"  Discord: {Total} questions ({discordAsked.Count(a => a.StartsWith('1'))} mentions in {Channels} channels, " +
                         $"{discordAsked.Count(a => a.StartsWith('2'))} /ask), {InFlight} in flight: {discordFigures.Summary()}; bucket violations {discord.BucketViolations}");
        output.WriteLine($"  Slack: {Total} questions ({slackAsked.Count(a => !S.SlackLoadQuestions.IsSlashKey(a))} app_mentions in {Channels} channels, " +
                         $"{slackAsked.Count(S.SlackLoadQuestions.IsSlashKey)} /casebot), {InFlight} in flight: {slackFigures.Summary()}; " +
                         $"channel-limit violations {slack.ChannelLimitViolations}");
        output.WriteLine($"  console: {ConsoleTotal} questions over /api/ask, {ConsoleInFlight} at a time, spread over the adapters' run: {consoleFigures.Summary()}");
        output.WriteLine($"  reindex: {(int)reindexed.StatusCode} {reindexed.Body}");

        Assert.All(discordAsked, id => Assert.True(discordAnswers.GetValueOrDefault(id) == 1, $"Discord question {id} got {discordAnswers.GetValueOrDefault(id)} answers"));
        Assert.Equal(Total, discordAnswers.Values.Sum());
        Assert.Equal(0, discord.BucketViolations);
        Assert.All(slackAsked, key => Assert.True(slackAnswers.GetValueOrDefault(key) == 1, $"Slack question {key} got {slackAnswers.GetValueOrDefault(key)} answers"));
        Assert.Equal(Total, slackAnswers.Values.Sum());
        Assert.Equal(0, slack.ChannelLimitViolations);
        Assert.Single(slack.CallsTo("apps.connections.open")); // one link throughout
        Assert.All(consoleStatuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, reindexed.StatusCode);
        Assert.Equal(6, host.Services.GetRequiredService<ICaseBot>().Documents.Count);
    }

    /// <summary>Discord's share, as in its own load run: mentions spread over 100 channels and <c>/ask</c> commands.</summary>
    private static async Task<(List<string> Asked, ConcurrentDictionary<string, string> InteractionOfToken)> DriveDiscordAsync(
        D.FakeDiscord discord, D.FakeGatewayConnection gateway, LoadFigures figures, Action answered)
    {
        var rng = new Random(Seed);
        using var slots = new SemaphoreSlim(InFlight);
        var pending = new ConcurrentDictionary<string, TimeSpan>();
        var interactionOfToken = new ConcurrentDictionary<string, string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        discord.OnServed = (request, status) =>
        {
            if (status is >= 200 and < 300 && D.DiscordAnswers.QuestionOf(request, t => interactionOfToken.GetValueOrDefault(t)) is { } id
                && pending.TryRemove(id, out var sentAt))
            {
                figures.Completed(sentAt);
                slots.Release();
                answered();
                if (figures.Count == Total) all.TrySetResult();
            }
        };
        var asked = new List<string>();
        long sequence = 1; // READY was 1
        for (var n = 1; n <= Total; n++)
        {
            Assert.True(await slots.WaitAsync(RunBound), $"Discord: no answer freed a slot in {RunBound.TotalSeconds} s at question {n}");
            var (id, frame, token) = D.DiscordLoadQuestions.Next(rng, n, ++sequence, Channels);
            if (token is not null) interactionOfToken[token] = id;
            asked.Add(id);
            pending[id] = figures.Now;
            await gateway.SendAsync(frame);
        }
        try
        {
            await all.Task.WaitAsync(RunBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Discord: {pending.Count} questions unanswered after {RunBound.TotalSeconds} s, e.g. {string.Join(", ", pending.Keys.Take(5))}");
        }
        return (asked, interactionOfToken);
    }

    /// <summary>Slack's share, as in its own load run: app_mentions spread over 100 channels and <c>/casebot</c> commands
    /// answered through their response_url.</summary>
    private static async Task<List<string>> DriveSlackAsync(S.FakeSlack slack, S.FakeLink link, LoadFigures figures, Action answered)
    {
        var rng = new Random(Seed);
        using var slots = new SemaphoreSlim(InFlight);
        var pending = new ConcurrentDictionary<string, TimeSpan>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slack.OnPosted = call =>
        {
            if (S.SlackLoadQuestions.QuestionOf(call) is { } key && pending.TryRemove(key, out var sentAt))
            {
                figures.Completed(sentAt);
                slots.Release();
                answered();
                if (figures.Count == Total) all.TrySetResult();
            }
        };
        var responseBase = S.SlackLoadQuestions.ResponseBase(slack);
        var asked = new List<string>();
        for (var n = 1; n <= Total; n++)
        {
            Assert.True(await slots.WaitAsync(RunBound), $"Slack: no answer freed a slot in {RunBound.TotalSeconds} s at question {n}");
            var (key, envelope) = S.SlackLoadQuestions.Next(rng, n, Channels, responseBase);
            asked.Add(key);
            pending[key] = figures.Now;
            await link.SendAsync(envelope);
        }
        try
        {
            await all.Task.WaitAsync(RunBound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Slack: {pending.Count} questions unanswered after {RunBound.TotalSeconds} s, e.g. {string.Join(", ", pending.Keys.Take(5))}");
        }
        return asked;
    }

    /// <summary>The console's share: question i goes out once the adapters have answered i/<see cref="ConsoleTotal"/> of
    /// their 2,000, so the console's questions are spread over the adapters' run, not bunched at its start.</summary>
    private static async Task<HttpStatusCode[]> DriveConsoleAsync(RunningHost host, LoadFigures figures, Func<int> adapterAnswers)
    {
        var statuses = new HttpStatusCode[ConsoleTotal];
        using var slots = new SemaphoreSlim(ConsoleInFlight);
        var asks = new List<Task>();
        for (var i = 0; i < ConsoleTotal; i++)
        {
            var due = i * 2 * Total / ConsoleTotal;
            await Wait.UntilAsync(() => adapterAnswers() >= due, RunBound, TimeSpan.FromMilliseconds(5));
            Assert.True(await slots.WaitAsync(RunBound), $"console: no answer freed a slot in {RunBound.TotalSeconds} s at question {i}");
            var index = i;
            asks.Add(Task.Run(async () =>
            {
                try
                {
                    var started = figures.Now;
                    var question = ReliabilityRun.LoadQuestions[index % ReliabilityRun.LoadQuestions.Length];
                    using var response = await host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString(question));
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    statuses[index] = body.TryGetProperty("text", out _) ? response.StatusCode : HttpStatusCode.ExpectationFailed;
                    figures.Completed(started);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(asks).WaitAsync(RunBound);
        return statuses;
    }
}

/// <summary>The serve load run goes alone: its latencies and the heap it samples (process-wide) are then its own.</summary>
[CollectionDefinition(nameof(ServeLoadTests), DisableParallelization = true)]
public sealed class ServeLoadCollection;
