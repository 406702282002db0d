namespace CaseBot.Core.Corpus;

/// <summary>A corpus document as users see it. <see cref="Text"/> has the articles' footnote markers removed.</summary>
public sealed record DocumentInfo(string Id, string Title, string FileName, string Text)
{
    public int Characters => Text.Length;

    /// <summary>The first few sentences, for "show me the source" commands.</summary>
    public string Opening(int maxChars = 400)
    {
        if (Text.Length <= maxChars) return Text;
        var cut = Text.LastIndexOf(' ', maxChars);
        return Text[..(cut > maxChars / 2 ? cut : maxChars)].TrimEnd() + " …";
    }
}
