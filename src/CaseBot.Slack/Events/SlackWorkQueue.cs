using CaseBot.Adapters;
using CaseBot.Slack.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseBot.Slack.Events;

/// <summary>
/// Slack's <see cref="WorkDispatcher"/>: where acknowledged envelopes and HTTP events go to be answered, by
/// <c>Slack:MaxConcurrentWork</c> workers, at most 1,000 waiting. Drained on stop (see the kit).
/// </summary>
internal sealed class SlackWorkQueue(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWorkQueue> log)
    : WorkDispatcher(options.Value.MaxConcurrentWork, Capacity, time, log)
{
    public const int Capacity = 1_000;
}
