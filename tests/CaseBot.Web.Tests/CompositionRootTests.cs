using System.Net;
using CaseBot.Core.Hosting;
using CaseBot.Core.Pipeline;
using CaseBot.Web.Hosting;
using CaseBot.Web.Metrics;
using CaseBot.Web.Moderation;
using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CaseBot.Web.Tests;

/// <summary><c>serve</c>, <c>discord</c> and <c>slack</c> are one host builder: moderation, metrics and health always apply.</summary>
public sealed class CompositionRootTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(HostSurfaces.Discord)]
    [InlineData(HostSurfaces.Slack)]
    [InlineData(HostSurfaces.All)]
    public async Task Every_command_host_answers_through_the_moderation_gate_and_prometheus_metrics(HostSurfaces surfaces)
    {
        await using var app = ServeHost.Build(
        [
            "--Discord:Token=MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs", "--Discord:ApplicationId=775799577604522054",
            "--Slack:BotToken=xoxb-1-2-x", "--Slack:AppToken=xapp-1-A1-1-x", $"--CaseBot:CorpusPath={RepoPaths.Corpus}",
        ], surfaces);

        Assert.IsType<ModerationQuestionGate>(app.Services.GetRequiredService<IQuestionGate>());
        Assert.IsType<PrometheusBotMetrics>(app.Services.GetRequiredService<IBotMetrics>());
        Assert.NotNull(app.Services.GetRequiredService<QuestionPipeline>());
        var configured = app.Services.GetRequiredService<ConfiguredAdapters>();
        Assert.Equal(surfaces.HasFlag(HostSurfaces.Discord), configured.Discord);
        Assert.Equal(surfaces.HasFlag(HostSurfaces.Slack), configured.Slack);
    }

    [Fact]
    public async Task An_adapter_only_host_serves_health_and_metrics_but_no_console()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), surfaces: HostSurfaces.Slack);

        Assert.Equal("ok", (await (await host.Http.GetAsync("/healthz").WaitAsync(Wait)).Content.ReadAsStringAsync()).Trim());
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/readyz").WaitAsync(Wait)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/metrics").WaitAsync(Wait)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/api/ask?q=hello").WaitAsync(Wait)).StatusCode);
    }

    [Theory]
    [InlineData(HostSurfaces.Discord, "--Discord:Token=")]
    [InlineData(HostSurfaces.Slack, "--Slack:BotToken=")]
    public async Task An_adapter_command_without_credentials_explains_what_to_set_and_exits_2(HostSurfaces adapter, string blank)
    {
        var exit = await ServeCommand.RunAdapterAsync([blank, $"--CaseBot:CorpusPath={RepoPaths.Corpus}", "--Web:Urls=http://127.0.0.1:0"], adapter)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task The_console_shows_the_configured_bot_not_a_baked_in_case()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(),
            settings: ["--Bot:Name=HarbourBot", "--Bot:Description=the harbour bridge inquiry", "--Bot:ExampleQuestion=Who approved it?"]);

        var profile = System.Text.Json.JsonDocument.Parse(await host.Http.GetStringAsync("/api/profile").WaitAsync(Wait)).RootElement;
        var page = await host.Http.GetStringAsync("/").WaitAsync(Wait);

        Assert.Equal("HarbourBot", profile.GetProperty("name").GetString());
        Assert.Equal("the harbour bridge inquiry", profile.GetProperty("description").GetString());
        Assert.Equal("Who approved it?", profile.GetProperty("exampleQuestion").GetString());
        Assert.DoesNotContain("Palantir", page);
    }

    [Fact]
    public async Task An_answer_observer_registered_in_the_host_is_told_of_each_console_question()
    {
        var observer = new RecordingObserver();
        await using var host = await RunningHost.StartAsync(new FakeCaseBot(), configure: b => b.Services.AddSingleton<IAnswerObserver>(observer));

        await host.Http.GetAsync("/api/ask?q=" + Uri.EscapeDataString("Who got the Palantir contract?")).WaitAsync(Wait);

        var seen = Assert.Single(observer.Seen);
        Assert.Equal("web", seen.Context.Platform);
        Assert.Null(seen.Context.ChannelId);
        Assert.False(string.IsNullOrEmpty(seen.Context.UserId));
        Assert.True(seen.Answer.Answered);
    }
}
