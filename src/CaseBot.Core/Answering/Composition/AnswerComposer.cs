using CaseBot.Core.Answering.Candidates;
using CaseBot.Core.Answering.Features;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Answering.Composition;

/// <summary>A short-answer candidate, and whether it stands near enough to the question's words to be the headline.</summary>
public readonly record struct ShortCandidate(string Text, bool Near);

/// <summary>
/// Third stage: turns the ranked sentences into what CaseBot says: verbatim quotes with their document id and date,
/// and a short answer only when the question asks for a concrete type and a whole candidate of that type stands in
/// the quoted sentence (or, asked for several names, the whole list of them the sentence gives). Reasons, manners,
/// yes/no and descriptions get the quote without a headline.
/// </summary>
public sealed partial class AnswerComposer(SearchIndex index, EngineSettings settings)
{
    [System.Text.RegularExpressions.GeneratedRegex(@",|;|\s(?:and|or|but|while)\s|\s[–—-]\s")]
    private static partial System.Text.RegularExpressions.Regex Boundaries();

    /// <summary>Names listed after "such as", "including", "like": <c>including Greater Manchester and West Midlands</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:such as|including|like|namely|notably)\s+(?<list>" + ListName + @"(?:\s*,\s*" + ListName + @")*,?\s+(?:and|or)\s+" + ListName + ")")]
    private static partial System.Text.RegularExpressions.Regex NameList();

    private const string ListName = @"\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+(?:of\s+)?\p{Lu}[\p{L}\p{M}'’.\-]*)*";

    public Citation Cite(int sentence, QuestionContext? q = null, string? keep = null)
    {
        var doc = index.Sentences[sentence].Doc;
        var info = index.Documents[doc];
        var quote = Quote(index.SentenceText(sentence));
        if (q is not null) quote = Trim(quote, q, keep, settings.MaxQuoteChars);
        return new Citation(info.Id, info.Title, quote) { Dated = index.Metadata[doc].Label };
    }

    /// <summary>
    /// A sentence longer than <paramref name="max"/> characters is cut to the stretch that holds the most question
    /// words (and the short answer, when there is one), at word boundaries, with "…" where it was cut. Each piece is
    /// still a verbatim slice of the document.
    /// </summary>
    internal static string Trim(string quote, QuestionContext q, string? keep, int max)
    {
        if (quote.Length <= max) return quote;
        var words = QuestionContext.WordPattern().Matches(quote);
        var keepAt = keep is null ? -1 : quote.IndexOf(keep, StringComparison.Ordinal);
        var best = (Start: 0, End: 0, Score: -1.0);
        for (var i = 0; i < words.Count; i++)
        {
            var start = words[i].Index;
            double score = 0;
            var end = start;
            for (var j = i; j < words.Count && words[j].Index + words[j].Length - start <= max; j++)
            {
                var w = words[j].Value.ToLowerInvariant();
                if (w.Length >= 4 && q.Prefixes.Contains(Vocabulary.Prefix(w))) score += 1;
                end = words[j].Index + words[j].Length;
            }
            if (keepAt >= 0 && keepAt >= start && keepAt + keep!.Length <= end) score += 100;
            if (score > best.Score) best = (start, end, score);
        }
        if (best.Start == 0 && best.End >= quote.Length - 1) return quote;
        var end2 = best.End;
        // Keep closing punctuation and quotes that belong to the last word.
        while (end2 < quote.Length && quote[end2] is '.' or '"' or '”' or '’' or ')' or '!' or '?') end2++;
        return (best.Start > 0 ? "… " : "") + quote[best.Start..end2] + (end2 < quote.Length ? " …" : "");
    }

    /// <summary>
    /// The sentences to quote: the best, and the runner-up when the ranker rates it close. A best sentence that ends
    /// in a colon introduces what follows ("three recurring tensions:"), so the next lines of its document come with it
    /// instead of the runner-up.
    /// </summary>
    public List<int> Choose(IReadOnlyList<(int Sentence, double Score)> ranked)
    {
        var best = ranked[0].Sentence;
        var chosen = new List<int> { best };
        if (index.SentenceText(best).TrimEnd().EndsWith(':'))
        {
            var (doc, ordinal) = (index.Sentences[best].Doc, index.Sentences[best].Ordinal);
            var siblings = index.SentencesOfDocument[doc];
            for (var next = ordinal + 1; next < siblings.Count && next <= ordinal + settings.ListLines; next++) chosen.Add(siblings[next]);
            if (chosen.Count > 1) return chosen;
        }
        if (ranked.Count > 1 && settings.QuotedBeside(ranked[1].Score, ranked[0].Score)) chosen.Add(ranked[1].Sentence);
        return chosen;
    }

    public static string Render(IEnumerable<Citation> citations) =>
        string.Join("\n", citations.Select(c => c.Dated is null ? $"[{c.DocId}] {c.Quote}" : $"[{c.DocId}] ({c.Dated}) {c.Quote}"));

    /// <summary>
    /// A whole typed candidate from the quoted sentence, or null. Candidates the question already names are skipped;
    /// a question that names a currency ("in dollars") takes a sum in that currency; of several, the one nearest the
    /// words the question and sentence share. <see cref="ShortCandidate.Near"/> says whether a lone candidate stands
    /// within <see cref="EngineSettings.ShortAnchorReach"/> of those words, for a person reads as a name (no
    /// possessive inside: "Palantir’s APIs"), and answers a question asking for a name rather than a kind ("what type
    /// of group", answered by "a pressure group", not by the group's name); the decider's ShortFound input is the
    /// candidate either way: it was fitted so.
    /// </summary>
    public ShortCandidate? ShortAnswer(QuestionContext q, int sentence)
    {
        var found = FindShort(q, sentence);
        return found is { } f && (q.Type == AnswerType.Person && InnerPossessive().IsMatch(f.Text) || q.AsksForKind)
            ? f with { Near = false } : found;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\p{L}['’]s\s")]
    private static partial System.Text.RegularExpressions.Regex InnerPossessive();

    private ShortCandidate? FindShort(QuestionContext q, int sentence)
    {
        if (!AnswerTypes.IsConcrete(q.Type)) return null;
        var text = index.SentenceText(sentence);
        var quote = Quote(text);
        var spans = index.SentenceSpans(sentence)
            .Where(s => TypedSpans.Answers(q.Type, s.Type) && s.Start + s.Length <= quote.Length + (text.Length - text.TrimStart().Length) && !EvidenceExtractor.Echoes(q, s))
            .ToList();
        if (q.Type is AnswerType.Person or AnswerType.Organisation or AnswerType.Place or AnswerType.Party)
            spans = spans.Where(s => s.Type == q.Type).ToList(); // a name of another kind is too often the wrong name
        else if (q.Type is not (AnswerType.Count or AnswerType.Amount))
        {
            // Prefer the exact kind asked for: a date over a year for "when".
            var exact = spans.Where(s => s.Type == q.Type).ToList();
            if (exact.Count > 0) spans = exact;
        }
        if (q.Currency != '\0' && q.Type == AnswerType.Money) spans = spans.Where(s => s.Currency == q.Currency).ToList();
        // "£50 million ($67 million)": one sum in two currencies; unless a currency was asked for, the first is the answer.
        spans = spans.Where(s => !(s.Type == AnswerType.Money && s.Start > 0 && text[..s.Start].TrimEnd().EndsWith('(')
            && spans.Any(o => o.Type == AnswerType.Money && o.Start < s.Start && s.Start - (o.Start + o.Length) <= 3))).ToList();
        if (spans.Count == 0) return null;
        if (spans.Count > settings.MaxShortCandidates) return null;
        if (q.Type == AnswerType.Person)
            spans = spans.Select(s => TrailingName(text, s)).OfType<TypedSpan>()
                .Where(s => !EvidenceExtractor.Echoes(q, s) && !HasAcronym(s.Text)).ToList();
        if (q.Type == AnswerType.Organisation) spans = spans.Where(s => s.Text.Contains(' ')).ToList(); // a lone acronym is too often not the one asked for
        if (spans.Count == 0) return null;
        if (spans.Count == 1 && settings.ShortAnchorReach <= 0) return new ShortCandidate(spans[0].Text, Near: true);
        // Anchors: the sentence's words that echo the question's rarer words (a subject named everywhere anchors nothing).
        var maxIdf = q.Idf.Length > 0 ? q.Idf.Max() : 0;
        var anchors = QuestionContext.WordPattern().Matches(text)
            .Where(m => m.Value.Length >= 3 && q.Prefixes.Contains(Vocabulary.Prefix(m.Value))
                        && index.Analyzer.Terms(m.Value) is [var term, ..] && index.SentenceIdf(term) >= 0.5 * maxIdf)
            .Select(m => (Start: m.Index, End: m.Index + m.Length)).ToList();
        // A question naming one alias ("the MoD") anchors on the sentence's other name for it ("Ministry of Defence").
        for (var i = 0; i < q.Terms.Count; i++)
        {
            if (q.Idf[i] < 0.5 * maxIdf) continue;
            foreach (var name in index.Analyzer.AliasNames(q.Terms[i]))
                for (var at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.OrdinalIgnoreCase))
                    if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (at + name.Length == text.Length || !char.IsLetterOrDigit(text[at + name.Length])))
                        anchors.Add((at, at + name.Length));
        }
        if (anchors.Count == 0) return spans.Count == 1 ? new ShortCandidate(spans[0].Text, Near: true) : null;
        // Characters between span and anchor, plus a clause's worth for each list or clause boundary crossed: in
        // "£330 million with NHS England and £240 million with …" England belongs to the first sum, not the second.
        double Gap(int from, int to) => to <= from ? 0 : (to - from) + 40 * Boundaries().Matches(text, from).Count(b => b.Index < to);
        double Distance(TypedSpan s) => anchors.Min(a => a.Start >= s.Start + s.Length ? Gap(s.Start + s.Length, a.Start) : s.Start >= a.End ? Gap(a.End, s.Start) : 0);
        // A lone candidate far from every word the question shares with the sentence belongs to another clause.
        if (spans.Count == 1) return new ShortCandidate(spans[0].Text, Near: Distance(spans[0]) <= settings.ShortAnchorReach);
        var ordered = spans.OrderBy(Distance).ToList();
        // Two candidates about as near: too close to call, so no headline.
        return Distance(ordered[0]) <= 0.5 * Distance(ordered[1]) ? new ShortCandidate(ordered[0].Text, Near: true) : null;
    }

    /// <summary>
    /// The names a quote lists for a question that asks for several ("Which other UK police forces …" → "Greater
    /// Manchester and West Midlands"), or null. The list must enumerate what was asked about: the question's plural noun
    /// stands just before "including", "such as" or "like" ("Several UK police forces – including …"); a list of police
    /// forces is no answer to "which public bodies besides the police".
    /// </summary>
    public string? ListAnswer(QuestionContext q, int sentence)
    {
        if (q.Type is not (AnswerType.Organisation or AnswerType.Person or AnswerType.Place) || AnswerTypes.SeveralOf(q.Text) is not { } noun) return null;
        var quote = Quote(index.SentenceText(sentence));
        foreach (System.Text.RegularExpressions.Match m in NameList().Matches(quote))
        {
            var list = m.Groups["list"].Value;
            var before = QuestionContext.WordPattern().Matches(quote[..m.Index]).TakeLast(ListNounReach);
            if (before.Any(w => string.Equals(w.Value, noun, StringComparison.OrdinalIgnoreCase)) && !EvidenceExtractor.Echoes(q, list)) return list;
        }
        return null;
    }

    /// <summary>Words before "including" in which the question's plural noun must stand.</summary>
    private const int ListNounReach = 6;

    /// <summary>
    /// The short answer to show above the quote. A headline says the sum or name belongs to what the question names, so
    /// the quote stands without one when the candidate stands far from the question's words in its sentence, or when
    /// the quoted passage's window lacks one of the question's names in full ("Ministry of Justice" beside the text's
    /// "Ministry of Defence"). The decider's ShortFound input is the candidate found either way.
    /// </summary>
    public static string? Headline(ShortCandidate? candidate, FeatureVector evidence) =>
        candidate is { Near: true } c && evidence[Feature.WorstName] >= 1 ? c.Text : null;

    /// <summary>
    /// The name at the end of a capitalised run: "London Mayor Sadiq Khan" → "Sadiq Khan". Words that also occur in lower
    /// case in the corpus ("Mayor", "Artificial Intelligence") are titles or ordinary words, not the name; null when
    /// nothing after the last of them is left.
    /// </summary>
    private TypedSpan? TrailingName(string text, TypedSpan span)
    {
        var words = QuestionContext.WordPattern().Matches(span.Text);
        var from = 0;
        for (var i = 0; i < words.Count; i++)
            if (index.Vocabulary.LowerCaseCount(words[i].Value) > 0) from = i + 1;
        if (from == 0) return span;
        if (from == words.Count) return null;
        var start = span.Start + words[from].Index;
        return TypedSpan.Cut(span.Type, text, start, span.Start + span.Length - start, span.Currency);
    }

    /// <summary>"Several UK" at a sentence's start is a capitalised run, not a person: people's names hold no acronym
    /// (a regnal number such as "Henry VIII" is not one).</summary>
    private static bool HasAcronym(string name) =>
        QuestionContext.WordPattern().Matches(name).Any(w => TypedSpans.IsAcronym(w.Value) && !w.Value.All("IVXL".Contains));

    /// <summary>Trims what footnote removal can leave behind (<c>million,.</c>) without leaving the document's words.</summary>
    internal static string Quote(string sentence)
    {
        var s = sentence.Trim();
        if (s.EndsWith(",.", StringComparison.Ordinal)) s = s[..^2];
        return s.TrimEnd(',', ';', ' ');
    }
}
