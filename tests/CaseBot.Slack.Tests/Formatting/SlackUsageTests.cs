using CaseBot.Core.Hosting;
using CaseBot.Slack.Events;

namespace CaseBot.Slack.Tests.Formatting;

public sealed class SlackUsageTests
{
    [Fact]
    public void Usage_help_names_the_configured_case_and_example_not_a_baked_in_one()
    {
        var usage = SlackResponder.Usage(new BotProfileOptions { Description = "the harbour bridge inquiry", ExampleQuestion = "who approved it?" });

        Assert.Contains("Ask me about the harbour bridge inquiry", usage);
        Assert.Contains("`/casebot who approved it?`", usage);
        Assert.DoesNotContain("Palantir", usage);
    }
}
