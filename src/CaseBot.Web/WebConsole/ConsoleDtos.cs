namespace CaseBot.Web.WebConsole;

// The JSON shapes of the console API. Strings from the corpus or the question travel as JSON strings (the
// serializer escapes <, >, & and quotes) and the page only ever puts them into the DOM as text.

public sealed record CitationDto(string DocId, string Title, string Quote, string Url);

public sealed record DocRefDto(string Id, string Title, string Url);

/// <summary><see cref="Why"/>: "Why this answer?" as the chat surfaces give it (read as, confidence against the
/// threshold, the rule that declined, the passages weighed), when the engine assessed a sentence.</summary>
public sealed record AnswerDto(
    string Question, bool Answered, string Text, string? Short, bool UsageError, double Milliseconds,
    IReadOnlyList<CitationDto> Citations, DocRefDto? Closest, string? Why = null);

public sealed record RefusalDto(string Refusal, string Reason, int RetryAfterSeconds);

public sealed record ErrorDto(string Error);

public sealed record DocSummaryDto(string Id, string Title, string FileName, int Characters, string Url);

public sealed record HighlightDto(int Start, int Length);

public sealed record DocDto(string Id, string Title, string FileName, int Characters, string Text, HighlightDto? Highlight);

public sealed record AdapterDto(string Platform, bool Connected);

public sealed record ReindexDto(
    bool Succeeded, int Documents, int Passages, double Seconds, string Message, string RequestedBy,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

public sealed record StatusDto(
    bool Ready, DateTimeOffset? BuiltAt, string? CorpusFingerprint, int Documents, int Passages,
    bool ReindexFromWeb, ReindexDto? LastReindex, IReadOnlyList<AdapterDto> Adapters, IReadOnlyList<string> Skipped);

/// <summary>Who the bot is, from configuration (<c>Bot</c> section): the console shows it.</summary>
public sealed record ProfileDto(string Name, string Description, string ExampleQuestion);
