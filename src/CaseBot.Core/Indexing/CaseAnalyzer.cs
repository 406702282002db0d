using Lucene.Net.Analysis;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace CaseBot.Core.Indexing;

/// <summary>
/// English analysis (standard tokenizer, possessives, lower case, stop words, Porter stems) with typographic
/// punctuation folded first, and each alias group of <see cref="Aliases"/> injected as one shared token.
/// The same analyzer serves indexing and questions, so both sides see the same terms.
/// </summary>
public sealed class CaseAnalyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly NormalizeCharMap Typography = BuildTypography();
    private readonly SynonymMap? _aliases;

    public CaseAnalyzer(Aliases aliases) => _aliases = BuildAliasMap(aliases);

    protected override TextReader InitReader(string fieldName, TextReader reader) => new MappingCharFilter(Typography, reader);

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
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    private static NormalizeCharMap BuildTypography()
    {
        var map = new NormalizeCharMap.Builder();
        foreach (var dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212") map.Add(dash.ToString(), "-");
        foreach (var apostrophe in "\u2018\u2019\u201a\u201b\u2032") map.Add(apostrophe.ToString(), "'");
        foreach (var quote in "\u201c\u201d\u201e\u201f\u2033") map.Add(quote.ToString(), "\"");
        map.Add("\u00a0", " ");
        return map.Build();
    }

    private static SynonymMap? BuildAliasMap(Aliases aliases)
    {
        if (aliases.Groups.Count == 0) return null;
        using var words = new WordAnalyzer();
        var builder = new SynonymMap.Builder(dedup: true);
        for (var g = 0; g < aliases.Groups.Count; g++)
        {
            // A letters-only token: survives the stop filter and stems to itself.
            var groupToken = new CharsRef("zzalias" + new string((char)('a' + g % 26), 1 + g / 26));
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
        protected override TextReader InitReader(string fieldName, TextReader reader) => new MappingCharFilter(Typography, reader);

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            return new TokenStreamComponents(source, new LowerCaseFilter(Version, new EnglishPossessiveFilter(Version, source)));
        }

        public List<string> Words(string text)
        {
            var words = new List<string>();
            using var stream = GetTokenStream("w", text);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) words.Add(term.ToString());
            stream.End();
            return words;
        }
    }
}
