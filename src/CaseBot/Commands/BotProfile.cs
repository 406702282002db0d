using CaseBot.Core.Hosting;
using Microsoft.Extensions.Configuration;

namespace CaseBot.Cli.Commands;

/// <summary>The <see cref="BotProfileOptions"/> the CLI shows in its help: from the <c>appsettings.json</c> next to
/// the binary (the same file <c>serve</c> reads) and the environment (<c>Bot__Name</c>, …).</summary>
internal static class BotProfile
{
    public static BotProfileOptions Load()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var profile = new BotProfileOptions();
        configuration.GetSection(BotProfileOptions.Section).Bind(profile);
        return profile;
    }
}
