namespace CaseBot.Core.Corpus;

/// <summary>The id and title rules for corpus files.</summary>
public static class DocumentNaming
{
    public static readonly string[] Extensions = [".txt", ".md"];

    /// <summary><c>004_1ce9ed520911b989.txt</c> is <c>004</c>; a name without <c>_</c> is its name without extension.</summary>
    public static string IdFromFileName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        var underscore = name.IndexOf('_');
        return underscore > 0 ? name[..underscore] : Path.GetFileNameWithoutExtension(name);
    }

    public static bool IsDocumentFile(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The first line when it reads as a headline (short, no sentence-final punctuation, text follows), else the start
    /// of the first sentence, shortened at a word boundary.
    /// </summary>
    public static string Title(string text, int maxChars = 90)
    {
        var trimmed = text.TrimStart();
        var newline = trimmed.IndexOf('\n');
        var firstLine = (newline < 0 ? trimmed : trimmed[..newline]).Trim().TrimStart('#', ' ');
        if (newline > 0 && firstLine.Length is > 0 and <= 200 && !EndsSentence(firstLine))
            return Shorten(firstLine, 200);
        var sentences = SentenceSplitter.Split(firstLine);
        var first = sentences.Count > 0 ? firstLine.Substring(sentences[0].Start, sentences[0].Length) : firstLine;
        return Shorten(first.TrimEnd('.', ' '), maxChars);
    }

    private static bool EndsSentence(string line) =>
        line.TrimEnd('"', '\'', '”', '’', ')', ' ').EndsWith('.') || line.EndsWith('!') || line.EndsWith('?');

    private static string Shorten(string s, int maxChars)
    {
        if (s.Length <= maxChars) return s;
        var cut = s.LastIndexOf(' ', maxChars - 1);
        return s[..(cut > maxChars / 2 ? cut : maxChars - 1)].TrimEnd(',', ';', ':', ' ') + "…";
    }
}
