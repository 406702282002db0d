using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace CaseBot.Core.Indexing;

/// <summary>
/// English analysis (standard tokenizer, possessives, lower case, stop words, Porter stems) with typographic
/// punctuation folded first (<see cref="Terms"/> is the one way text enters it), and each alias group of <see cref="Aliases"/> injected as one shared token.
/// The same analyzer serves indexing and questions, so both sides see the same terms.
/// </summary>
public sealed class CaseAnalyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Every alias group is indexed as one shared token starting with this (letters only: it survives the
    /// stop filter and stems to itself).</summary>
    public const string AliasPrefix = "zzalias";

    private readonly SynonymMap? _aliases;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _wordTerms = new(StringComparer.Ordinal);
    private const int WordCacheLimit = 100_000;

    public CaseAnalyzer(Aliases aliases)
    {
        Aliases = aliases;
        _aliases = BuildAliasMap(aliases);
    }

    public Aliases Aliases { get; }

    /// <summary>The names of the alias group a group token stands for ("zzaliasb" → the second line), or none.</summary>
    public IReadOnlyList<string> AliasNames(string term)
    {
        if (!term.StartsWith(AliasPrefix, StringComparison.Ordinal) || term.Length == AliasPrefix.Length) return [];
        var suffix = term[AliasPrefix.Length..];
        var g = suffix[0] - 'a' + 26 * (suffix.Length - 1);
        return g >= 0 && g < Aliases.Groups.Count ? Aliases.Groups[g] : [];
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new EnglishPossessiveFilter(Version, source);
        stream = new LowerCaseFilter(Version, stream);
        if (_aliases is not null) stream = new SynonymFilter(stream, _aliases, ignoreCase: true);
        stream = new StopFilter(Version, stream, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    /// <summary>The terms of <paramref name="text"/> in order (duplicates kept).</summary>
    public List<string> Terms(string text, string field = "text")
    {
        var terms = new List<string>();
        using var stream = GetTokenStream(field, FoldTypography(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    /// <summary>
    /// <see cref="Terms"/> of one word, remembered (up to 100,000 words): reading a question analyses each of its words
    /// alone twice (the spelling check, the common-word check), and questions share most of their words.
    /// </summary>
    public IReadOnlyList<string> WordTerms(string word)
    {
        if (_wordTerms.TryGetValue(word, out var known)) return known;
        var terms = Terms(word).ToArray();
        if (_wordTerms.Count < WordCacheLimit) _wordTerms.TryAdd(word, terms);
        return terms;
    }

    /// <summary>
    /// Typographic dashes, apostrophes, quotes and no-break spaces as their ASCII forms, so <c>Met‑Police</c> and
    /// <c>Met-Police</c>, <c>Mayor’s</c> and <c>Mayor's</c> analyse alike. A plain string pass: cheaper than a char filter.
    /// </summary>
    internal static string FoldTypography(string text)
    {
        var i = text.AsSpan().IndexOfAny(TypographicChars);
        if (i < 0) return text;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var k = 0; k < source.Length; k++)
            {
                span[k] = source[k] switch
                {
                    '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                    '\u2018' or '\u2019' or '\u201a' or '\u201b' or '\u2032' => '\'',
                    '\u201c' or '\u201d' or '\u201e' or '\u201f' or '\u2033' => '"',
                    '\u00a0' or '\u202f' => ' ',
                    var c => c,
                };
            }
        });
    }

    private static readonly System.Buffers.SearchValues<char> TypographicChars = System.Buffers.SearchValues.Create(
        "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00a0\u202f");

    private static SynonymMap? BuildAliasMap(Aliases aliases)
    {
        if (aliases.Groups.Count == 0) return null;
        using var words = new WordAnalyzer();
        var builder = new SynonymMap.Builder(dedup: true);
        for (var g = 0; g < aliases.Groups.Count; g++)
        {
            // A letters-only token: survives the stop filter and stems to itself.
            var groupToken = new CharsRef(AliasPrefix + new string((char)('a' + g % 26), 1 + g / 26));
            foreach (var name in aliases.Groups[g])
            {
                var tokens = words.Words(name);
                if (tokens.Count == 0) continue;
                builder.Add(SynonymMap.Builder.Join(tokens.ToArray(), new CharsRef()), groupToken, includeOrig: true);
            }
        }
        return builder.Build();
    }

    /// <summary>The part of the chain before the alias filter, to split alias names exactly as text is split.</summary>
    private sealed class WordAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            return new TokenStreamComponents(source, new LowerCaseFilter(Version, new EnglishPossessiveFilter(Version, source)));
        }

        public List<string> Words(string text)
        {
            var words = new List<string>();
            using var stream = GetTokenStream("w", FoldTypography(text));
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) words.Add(term.ToString());
            stream.End();
            return words;
        }
    }
}
