namespace CaseBot.Core.Corpus;

/// <summary>A corpus problem a moderator can fix; the message names the file and what is wrong with it.</summary>
public sealed class CorpusException(string message) : Exception(message);
