namespace CaseBot.Core.Hosting;

/// <summary>
/// Who the bot says it is and what it answers about, bound from the <c>Bot</c> section. Nothing about a particular
/// case is baked into the code: a self-hoster who points CaseBot at another case's documents changes
/// <c>Bot:Name</c>, <c>Bot:Description</c> and <c>Bot:ExampleQuestion</c> (the shipped <c>appsettings.json</c> holds
/// this case's). Chat formatters and the CLI build their help text from it.
/// </summary>
public sealed class BotProfileOptions
{
    public const string Section = "Bot";

    /// <summary>The bot's name as users see it in help text (<c>CaseBot</c>).</summary>
    public string Name { get; set; } = "CaseBot";

    /// <summary>What the documents are about, as a noun phrase that reads after "questions about …".</summary>
    public string Description { get; set; } = "the case in its documents";

    /// <summary>One question the documents answer, shown in usage help.</summary>
    public string ExampleQuestion { get; set; } = "What happened?";

    /// <summary>The one-line help every surface shows for an empty or unusable question.</summary>
    public string UsageText => $"Ask a question about {Description}, for example: \"{ExampleQuestion}\"";

    /// <summary>The one-line description of the bot (CLI help, logs).</summary>
    public string Summary => $"{Name} answers questions about {Description}, citing its documents.";
}
