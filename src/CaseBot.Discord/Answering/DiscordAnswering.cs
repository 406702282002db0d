using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Hosting;

namespace CaseBot.Discord.Answering;

/// <summary>The one way Discord questions reach the engine: the gate first, then <see cref="ICaseBot.Ask"/> on the
/// thread pool (never on the gateway read loop), with the latency reported to metrics.</summary>
internal sealed class DiscordAnswering(ICaseBot bot, IQuestionGate gate, IBotMetrics metrics, TimeProvider time)
{
    public const string Platform = "discord";

    public GateDecision Check(string userId, string? channelId) => gate.Check(Platform, userId, channelId);

    public Task<Answer> AskAsync(string question) => Task.Run(() =>
    {
        var started = time.GetTimestamp();
        var answer = bot.Ask(question);
        if (!answer.IsUsageError) metrics.QuestionAnswered(Platform, answer.Answered, time.GetElapsedTime(started));
        return answer;
    });
}
