using System.Collections.Concurrent;
using CaseBot.Core.Feedback;

namespace CaseBot.TestSupport;

/// <summary>An <see cref="IFeedbackSink"/> in memory with the store's rule: one vote per user per answer, a later
/// vote replaces it. Records every call in order.</summary>
public sealed class RecordingFeedbackSink : IFeedbackSink
{
    private readonly ConcurrentDictionary<(string Key, string User), VoteValue> _votes = new();
    private readonly ConcurrentQueue<VoteCast> _calls = new();

    public IReadOnlyList<VoteCast> Calls => _calls.ToArray();

    public Task<VoteOutcome> VoteAsync(VoteCast vote, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(vote);
        if (vote.Value == VoteValue.None) _votes.TryRemove((vote.AnswerKey, vote.UserId), out _);
        else _votes[(vote.AnswerKey, vote.UserId)] = vote.Value;
        return Task.FromResult(Outcome(vote.AnswerKey, vote.UserId));
    }

    public VoteOutcome Outcome(string answerKey, string user)
    {
        var all = _votes.Where(v => v.Key.Key == answerKey).Select(v => v.Value).ToList();
        return new VoteOutcome(answerKey, _votes.GetValueOrDefault((answerKey, user)), all.Count(v => v == VoteValue.Up), all.Count(v => v == VoteValue.Down));
    }
}
