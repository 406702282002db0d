using CaseBot.Web.Tests.Support;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Tests;

/// <summary>Bad settings stop <c>serve</c> at start with a message that names the setting.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("--Moderation:QuestionsPerUser=-1", "Moderation:QuestionsPerUser")]
    [InlineData("--Moderation:WindowSeconds=0", "Moderation:WindowSeconds")]
    [InlineData("--Moderation:AllowedChannels=general chat!", "Moderation:AllowedChannels")]
    [InlineData("--Moderation:WatchPollSeconds=0.5", "Moderation:WatchPollSeconds")]
    [InlineData("--Web:AdminToken=short", "Web:AdminToken")]
    [InlineData("--Web:ShutdownTimeoutSeconds=0", "Web:ShutdownTimeoutSeconds")]
    public async Task Invalid_settings_fail_start_naming_the_setting(string setting, string named)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(new FakeCaseBot(), [setting]));
        Assert.Contains(ex.Failures, f => f.Contains(named));
    }

    [Fact]
    public async Task A_short_admin_token_is_refused_without_echoing_it()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RunningHost.StartAsync(new FakeCaseBot(), ["--Web:AdminToken=s3cr3t-value"]));
        Assert.DoesNotContain("s3cr3t-value", ex.Message);
    }

    [Fact]
    public void Urls_validation_accepts_kestrel_wildcards_and_refuses_nonsense()
    {
        var v = new CaseBot.Web.Options.WebOptionsValidator();
        Assert.True(v.Validate(null, new() { Urls = "http://+:8080;http://127.0.0.1:9000" }).Succeeded);
        Assert.True(v.Validate(null, new() { Urls = "http://*:8080" }).Succeeded);
        var bad = v.Validate(null, new() { Urls = "ftp://example" });
        Assert.True(bad.Failed);
        Assert.Contains("Web:Urls", bad.FailureMessage);
        Assert.True(v.Validate(null, new() { Urls = " " }).Failed);
    }

    [Fact]
    public void Web_options_ToString_never_shows_the_token()
    {
        var text = new CaseBot.Web.Options.WebOptions { AdminToken = "super-secret-token-value" }.ToString();
        Assert.DoesNotContain("super-secret", text);
        Assert.Contains("AdminToken=set", text);
    }
}
