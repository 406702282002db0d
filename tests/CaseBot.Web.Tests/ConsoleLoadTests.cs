using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CaseBot.Web.Tests.Support;
using Xunit.Abstractions;

namespace CaseBot.Web.Tests;

/// <summary>
/// "Prove it: load", the web console's share: 1,000 questions 50 at a time through the real engine while a reindex
/// (from the console, with a changed corpus) swaps builds in the middle. Every question is answered; the figures
/// go to the test output and docs/RELIABILITY.md. The adapters' share belongs to the adapter kit.
/// </summary>
public sealed class ConsoleLoadTests(ITestOutputHelper output)
{
    private const string Token = "load-test-admin-token-0123456789";
    private static readonly string[] Questions =
    [
        "Why did City Hall block the Palantir contract?", "Who co-founded Palantir?", "What did Louis Mosley say?",
        "How much was the contract worth?", "What colour were the zebra crossings repainted?",
    ];

    [Fact]
    public async Task A_thousand_console_questions_50_at_a_time_across_a_reindex_are_all_answered()
    {
        await using var host = await RunningHost.StartAsync(settings: ["--Moderation:QuestionsPerUser=0", $"--Web:AdminToken={Token}"]);
        host.Http.Timeout = TimeSpan.FromSeconds(60);
        const int total = 1000;
        using var gate = new SemaphoreSlim(50);
        var latencies = new double[total];
        var statuses = new HttpStatusCode[total];
        var done = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var peak = 0L;
        var clock = Stopwatch.StartNew();

        var reindex = Task.Run(async () =>
        {
            await halfway.Task;
            File.WriteAllText(Path.Combine(host.CorpusPath, "005_zebra.txt"), "Zebra crossings outside City Hall were repainted in purple in June.");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return await host.Http.SendAsync(request);
        });
        var asks = Enumerable.Range(0, total).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var started = clock.Elapsed;
                using var response = await host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString(Questions[i % Questions.Length]));
                statuses[i] = response.StatusCode;
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (!body.TryGetProperty("text", out _)) statuses[i] = HttpStatusCode.ExpectationFailed;
                latencies[i] = (clock.Elapsed - started).TotalMilliseconds;
                if (Interlocked.Increment(ref done) == total / 2) halfway.TrySetResult();
                var memory = GC.GetTotalMemory(false);
                long seen;
                while (memory > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, memory, seen) != seen) { }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(asks).WaitAsync(TimeSpan.FromMinutes(3));
        var reindexed = await reindex.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, reindexed.StatusCode);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var status = JsonDocument.Parse(await host.Http.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(6, status.GetProperty("documents").GetInt32());
        Array.Sort(latencies);
        output.WriteLine($"{total} questions, 50 at a time, reindex in the middle: {clock.Elapsed.TotalSeconds:F1} s; " +
                         $"p50 {latencies[total / 2]:F1} ms, p99 {latencies[total * 99 / 100]:F1} ms; peak managed heap {peak / (1024 * 1024)} MB");
    }
}

/// <summary>Hostile questions through the console's ask endpoint and the real engine: never a 5xx, and nothing from
/// the question reaches the JSON as markup (every &lt;, &gt;, &amp; arrives escaped).</summary>
public sealed class ConsoleHostileQuestionTests
{
    public static TheoryData<string> Questions => new()
    {
        "<script>alert(1)</script> why did City Hall block it?", "@everyone <@123456789012345678> who co-founded Palantir?",
        "title:palantir AND (met OR \"unclosed", "[a TO z] {1 TO 9} /reg[ex]+/ ~ ^ * ?", "\u202Eesrever\u202C who blocked the deal",
        "\u200B\u200C\u200D\uFEFF\u2060", "\u0000\u0001\u0007\u001B[31m red", "**bold** `code` ```block``` [x](http://evil.example)",
        "\uD800 lone surrogate \uDFFF", "<!channel> <#123> <@&456> ||spoiler||", new string('a', 1000), new string('\u05D0', 999) + "?",
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task A_hostile_question_gets_json_never_a_5xx_and_never_raw_markup(string question)
    {
        await using var host = await RunningHost.StartAsync(settings: ["--Moderation:QuestionsPerUser=0"]);

        var response = await host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString(question));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is 200 or 400, $"{(int)response.StatusCode}: {raw}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain('<', raw);
        Assert.DoesNotContain('>', raw);
        JsonDocument.Parse(raw); // well-formed
    }
}
