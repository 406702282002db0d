namespace CaseBot.Core.Corpus;

/// <summary>A loaded corpus file: its id, title, and text with footnote markers removed.</summary>
public sealed record CorpusDocument(string Id, string Title, string FileName, string Text)
{
    public DocumentInfo ToInfo() => new(Id, Title, FileName, Text);
}
