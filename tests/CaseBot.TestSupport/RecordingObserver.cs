using CaseBot.Core.Hosting;

namespace CaseBot.TestSupport;

/// <summary>An <see cref="IAnswerObserver"/> that remembers every question it was told of.</summary>
public sealed class RecordingObserver : IAnswerObserver
{
    private readonly Lock _lock = new();
    private readonly List<AnsweredQuestion> _seen = [];

    public IReadOnlyList<AnsweredQuestion> Seen { get { lock (_lock) return _seen.ToList(); } }

    public void OnAnswered(AnsweredQuestion question) { lock (_lock) _seen.Add(question); }
}
