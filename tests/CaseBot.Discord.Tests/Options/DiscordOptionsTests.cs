using CaseBot.Core;
using CaseBot.Core.Hosting;
using CaseBot.Discord.Options;
using CaseBot.Discord.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaseBot.Discord.Tests.Options;

public sealed class DiscordOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Without_a_token_nothing_is_registered_and_the_answer_is_false()
    {
        var services = new ServiceCollection();

        Assert.False(services.AddDiscordAdapter(Config(("Discord:ApplicationId", "1"))));
        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_token_the_adapter_is_the_chat_adapter_and_hosted_service()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ICaseBot>(new FakeCaseBot());

        Assert.True(services.AddDiscordAdapter(Config(("Discord:Token", "t"), ("Discord:ApplicationId", "1"))));
        await using var provider = services.BuildServiceProvider();

        var adapter = provider.GetRequiredService<IChatAdapter>();
        Assert.Equal("discord", adapter.Platform);
        Assert.False(adapter.IsConnected);
        Assert.Same(adapter, provider.GetServices<IHostedService>().Single());
        Assert.Same(NullBotMetrics.Instance, provider.GetRequiredService<IBotMetrics>());
    }

    [Fact]
    public void The_token_may_come_from_DISCORD_TOKEN()
    {
        var services = new ServiceCollection();

        Assert.True(services.AddDiscordAdapter(Config(("DISCORD_TOKEN", "from-env"), ("Discord:ApplicationId", "1"))));
        using var provider = services.BuildServiceProvider();
        Assert.Equal("from-env", provider.GetRequiredService<IOptions<DiscordOptions>>().Value.Token);
    }

    [Fact]
    public async Task Invalid_settings_fail_at_start_with_messages_naming_the_variables_and_never_the_token()
    {
        const string token = "super-secret-token-value";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = token, ["Discord:ApplicationId"] = "my-app", ["Discord:GuildId"] = "guild",
            ["Discord:ApiBaseUrl"] = "not a url", ["Discord:PublicKey"] = "abc", ["Discord:ShardId"] = "2", ["Discord:ShardCount"] = "2",
        });
        builder.Services.AddSingleton<ICaseBot>(new FakeCaseBot());
        builder.Services.AddDiscordAdapter(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Wait.Default));

        foreach (var name in new[] { "Discord__ApplicationId", "Discord__GuildId", "Discord__ApiBaseUrl", "Discord__PublicKey", "Discord__ShardId" })
            Assert.Contains(name, error.Message);
        Assert.DoesNotContain(token, error.Message);
    }

    [Fact]
    public void ToString_never_shows_the_token()
    {
        var options = new DiscordOptions { Token = "super-secret-token-value", ApplicationId = "1" };

        Assert.DoesNotContain("super-secret", options.ToString());
        Assert.Contains("token=set", options.ToString());
    }

    [Fact]
    public void Defaults_are_valid_once_token_and_application_id_are_set()
    {
        var result = new DiscordOptionsValidator().Validate(null, new DiscordOptions { Token = "t", ApplicationId = "775799577604522054" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
