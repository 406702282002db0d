using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>Exit codes of <c>casebot serve</c> that the Docker HEALTHCHECK and process supervisors rely on.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_configuration_error_exits_2_without_serving()
    {
        var index = RepoPaths.NewTempFolder("casebot-serve-cmd");
        try
        {
            var code = await ServeCommand.RunAsync(
                ["--Web:Urls=http://127.0.0.1:0", $"--CaseBot:CorpusPath={RepoPaths.Corpus}", $"--CaseBot:IndexPath={index}",
                 "--Moderation:WindowSeconds=0", "--Logging:LogLevel:Default=None"]).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, code);
        }
        finally
        {
            RepoPaths.DeleteQuietly(index);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_serve_stops_it_cleanly_with_exit_0()
    {
        var index = RepoPaths.NewTempFolder("casebot-serve-cmd");
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var code = await ServeCommand.RunAsync(
                ["--Web:Urls=http://127.0.0.1:0", $"--CaseBot:CorpusPath={RepoPaths.Corpus}", $"--CaseBot:IndexPath={index}",
                 "--Moderation:WatchCorpus=false", "--Logging:LogLevel:Default=None"], stop.Token).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, code);
        }
        finally
        {
            RepoPaths.DeleteQuietly(index);
        }
    }

    [Theory]
    [InlineData("not a url", 2)]
    [InlineData("http://127.0.0.1:1/healthz", 1)]
    public async Task Healthcheck_mode_exits_nonzero_when_unhealthy(string url, int expected) =>
        Assert.Equal(expected, await ServeCommand.RunAsync(["--healthcheck", url]).WaitAsync(TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task Healthcheck_mode_exits_0_against_a_live_host()
    {
        await using var host = await RunningHost.StartAsync(new FakeCaseBot());
        Assert.Equal(0, await ServeCommand.RunAsync([$"--healthcheck={host.BaseAddress}healthz"]).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
