using System.Net;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>Stopping (SIGTERM) finishes questions in flight and takes no new ones.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_finishes_the_question_in_flight_and_refuses_new_ones()
    {
        var bot = new FakeCaseBot();
        bot.Hold();
        await using var host = await RunningHost.StartAsync(bot);

        var inFlight = host.Http.GetAsync("/api/ask?q=Palantir");
        await bot.AskStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = host.App.StopAsync();
        await Wait.UntilAsync(() => host.App.Lifetime.ApplicationStopping.IsCancellationRequested);

        // A new question while stopping is not answered (connection refused, or 503 on a live connection).
        using (var late = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) })
        {
            try
            {
                var response = await late.GetAsync("/api/ask?q=Palantir");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }

        bot.Release();
        var answered = await inFlight.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("Palantir", await answered.Content.ReadAsStringAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, bot.Asks);
    }
}
