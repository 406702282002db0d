using System.Diagnostics;
using System.Text;
using CaseBot.Core.Answering.Composition;
using CaseBot.Core.Answering.Features;
using CaseBot.Core.Answering.Models;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Answering.Retrieval;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Answering;

/// <summary>
/// Answers a question from one opened index in three parts: the <see cref="SentenceRetriever"/> finds candidate
/// sentences among all sentences, the <see cref="EvidenceExtractor"/> measures each, a learned ranker orders them and
/// a learned decider says whether the best one answers; the <see cref="AnswerComposer"/> quotes it. Stateless per
/// question and thread-safe.
/// </summary>
public sealed class AnswerEngine
{
    public const string DeclineText = "The case documents don't say.";
    public const string UsageText = "Ask a question about the documents, for example one naming a person, a sum or a date in them.";

    private readonly QuestionReader _reader;
    private readonly SentenceRetriever _retriever;
    private readonly EvidenceExtractor _extractor;
    private readonly AnswerComposer _composer;

    public AnswerEngine(SearchIndex index, EngineSettings settings, EngineModel? model = null)
    {
        Index = index;
        Settings = settings;
        Model = model ?? (settings.ModelPath is { Length: > 0 } path ? EngineModel.LoadFile(path) : EngineModel.Default);
        Threshold = settings.AnswerThreshold >= 0 ? settings.AnswerThreshold : Model.ThresholdFor(index.SentenceCount);
        _reader = new QuestionReader(index, Indexing.Embeddings.SentenceEmbedder.ForQuestions(settings.Int8Questions, settings.QuestionEncoderThreads));
        _retriever = new SentenceRetriever(index, settings);
        _extractor = new EvidenceExtractor(index);
        _composer = new AnswerComposer(index, settings);
    }

    public SearchIndex Index { get; }
    public EngineSettings Settings { get; }
    public EngineModel Model { get; }
    public double Threshold { get; }

    /// <summary>Everything the engine worked out for one question; the trainer reads it, <see cref="Ask"/> answers from it.</summary>
    internal sealed record Analysis(
        QuestionContext Question,
        Retrieval.Retrieval Retrieval,
        List<FeatureVector> Features,
        List<(int Candidate, double Score)> Ranked,
        ShortCandidate? Short,
        FeatureVector Decision)
    {
        /// <summary>
        /// Declined whatever the decider says: the question wants a sum, a date, a count, a duration, a percentage or a
        /// party and neither the chosen sentence's window nor a runner-up close enough to be quoted with it holds one,
        /// or (when <see cref="EngineSettings.DeclineNumberMismatch"/>) a number the question states is missing where
        /// the chosen sentence states another, or the question asks what someone said and neither quoted sentence gives
        /// that speaker a speech verb, or (<see cref="EngineSettings.RequireNamedFocus"/>) a "which national newspaper"
        /// question meets quotes that only say "a national newspaper". Other names are left to the decider: too many
        /// words are capitalised.
        /// </summary>
        public bool Gated => Gate is not null;

        /// <summary>Which rule declined the question, in words a moderator reads (<see cref="Explanation.Gate"/>); null when none did.</summary>
        public string? Gate { get; init; }
    }

    public Answer Ask(string? question)
    {
        var clock = Stopwatch.StartNew();
        var cleaned = Clean(question);
        if (cleaned.Length == 0)
            return new Answer { Question = question ?? "", Answered = false, Text = UsageText, IsUsageError = true, Milliseconds = Ms(clock) };
        var analysis = Analyse(cleaned, Model.Ranker);
        if (analysis is null) return Decline(cleaned, [], null, clock);
        var a = analysis;
        var best = a.Retrieval.Candidates[a.Ranked[0].Candidate].Sentence;
        var confidence = a.Gated ? 0 : Model.Decider.Probability(a.Decision.Values);
        if (confidence < Threshold)
            return Decline(cleaned, a.Retrieval.Docs, Index.Documents[Index.Sentences[best].Doc].Id, clock)
                with { Confidence = confidence, Evidence = a.Decision, Explanation = Explain(a, Weighed(a, a.Ranked[0])) };
        var answer = Compose(cleaned, a);
        // Answered, the best sentence is the first quote, already cut for this question: not cited a second time.
        var quoted = new RunnerUp(answer.Citations[0].DocId, answer.Citations[0].Quote, Math.Round(a.Ranked[0].Score, 4));
        return answer with { Confidence = confidence, Evidence = a.Decision, Explanation = Explain(a, quoted), Milliseconds = Ms(clock) };
    }

    /// <summary>The question read, its candidates and their features, before any learned part: what the trainer caches.</summary>
    internal sealed record Gathered(QuestionContext Question, Retrieval.Retrieval Retrieval, List<FeatureVector> Features);

    /// <summary>Reads, retrieves and measures; null when nothing in the corpus shares a word with the question.</summary>
    internal Gathered? Gather(string cleaned)
    {
        var prepared = _reader.Prepare(cleaned);
        if (prepared is null) return null;
        // The rest of reading, the lexical stage and its features need no question vector: another thread does them
        // while this one encodes (interleaved `bench` runs: p50 the same as encoding on another thread, p99 8.2-8.9 ms
        // against 8.3-10.4).
        var lexicalWork = Task.Run(() =>
        {
            var question = _reader.Finish(prepared);
            var found = _retriever.Lexical(question);
            return (question, found, _extractor.Lexical(question, found.Candidates, found.TopDoc));
        });
        _ = prepared.Vector.Value;
        var (q, lexical, early) = lexicalWork.GetAwaiter().GetResult();
        var r = _retriever.Complete(q, lexical);
        return r is null ? null : new Gathered(q, r, _extractor.Extract(q, r, early));
    }

    internal Analysis? Analyse(string cleaned, TreeModel ranker) => Gather(cleaned) is { } g ? Rank(g, ranker) : null;

    /// <summary>Orders the candidates with <paramref name="ranker"/> and assembles the decider's inputs.</summary>
    internal Analysis Rank(Gathered g, TreeModel ranker)
    {
        var (q, r, features) = g;
        var ranked = new List<(int Candidate, double Score)>(features.Count);
        for (var i = 0; i < features.Count; i++) ranked.Add((i, ranker.Probability(features[i].Values)));
        ranked.Sort((x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Candidate.CompareTo(y.Candidate));
        if (Settings.CurrencyFirst) PutCurrencyFirst(q, features, ranked);
        var best = r.Candidates[ranked[0].Candidate].Sentence;
        var runnerUpQuoted = ranked.Count > 1 && Settings.QuotedBeside(ranked[1].Score, ranked[0].Score);
        var shortAnswer = _composer.ShortAnswer(q, best);
        var decision = features[ranked[0].Candidate].Copy();
        decision[Feature.RankScore] = ranked[0].Score;
        decision[Feature.RankSecond] = ranked.Count > 1 ? ranked[1].Score : 0;
        decision[Feature.RankMargin] = ranked[0].Score - decision[Feature.RankSecond];
        decision[Feature.ShortFound] = shortAnswer is null ? 0 : 1;
        // "No date near the best passage": neither it, its neighbours nor the runner-up quoted with it holds one.
        var typeMissing = Settings.RequireTypedAnswer && AnswerTypes.IsStrict(q.Type)
            && features[ranked[0].Candidate][Feature.TypedInWindow] == 0
            && (ranked.Count < 2 || features[ranked[1].Candidate][Feature.TypedFound] == 0
                || (Settings.TypedRunnerUpQuoted && !runnerUpQuoted));
        // "What did the 2021 report say" where the text has a 2023 report: the premise is not the text's.
        var contradicted = Settings.DeclineNumberMismatch && decision[Feature.NumberMismatch] == 1;
        // "What did Peter Thiel say": a quote that only mentions him does not say; neither sentence quoted gives him words.
        var unattributed = Settings.RequireAttribution && !QuotedSentenceDoes(s => _extractor.Attributed(q, s));
        // "Which national newspaper broke the story": a best sentence saying "a national newspaper" does not say which,
        // and a runner-up quoted beside it saves the answer only by naming one beside such a mention: one that merely
        // lists other forces does not name the force "a smaller UK police force" ran the pilot with.
        var unnamed = Settings.RequireNamedFocus && _extractor.NamesFocus(q, best) == false
            && !(runnerUpQuoted && _extractor.NamesFocus(q, r.Candidates[ranked[1].Candidate].Sentence) == true);
        // "When was the explainer published": a dateline speaks for its own article only, and no line of that one says it
        // is the explainer; the corpus does not say which article is, so its date is not given as the explainer's.
        // The hints first: most questions name no kind of article, and then the best sentence's text is not read.
        var kind = Settings.RequireNamedArticle
            ? q.Hints.FirstOrDefault(h => DocumentMetadata.IsKind(h) && !string.Equals(Index.Metadata[Index.Sentences[best].Doc].Kind, h, StringComparison.OrdinalIgnoreCase))
            : null;
        if (kind is not null && !DocumentMetadata.IsMetadataLine(Index.SentenceText(best))) kind = null;
        var gate = typeMissing ? $"it asks for {AnswerTypes.Describe(q.Type)} and neither the best sentence, its neighbours nor a runner-up quoted beside it holds one"
            : contradicted ? "it names a number missing beside the best sentence, which states another"
            : unattributed ? "it asks what someone said and no quoted sentence gives them words"
            : unnamed ? $"it asks which {q.Focus}, and the quoted sentences speak of \"a … {q.Focus}\" without naming one"
            : kind is not null ? $"it asks about the {kind.ToLowerInvariant()} piece, and nothing in the article that line comes from says it is one"
            : null;
        return new Analysis(q, r, features, ranked, shortAnswer, decision) { Gate = gate };

        // The best sentence, or the runner-up when it is close enough to be quoted beside it.
        bool QuotedSentenceDoes(Func<int, bool> test) => test(best) || runnerUpQuoted && test(r.Candidates[ranked[1].Candidate].Sentence);
    }

    /// <summary>
    /// "How much was the £50 million contract worth in dollars?": the question names the currency its answer is in, so
    /// a sentence close enough to be quoted that holds a sum in it goes first, its score and all, ahead of one that
    /// only restates the question's own sum.
    /// </summary>
    private void PutCurrencyFirst(QuestionContext q, List<FeatureVector> features, List<(int Candidate, double Score)> ranked)
    {
        if (q.Currency == '\0' || q.Type != AnswerType.Money || features[ranked[0].Candidate][Feature.CurrencyMatch] == 1) return;
        for (var i = 1; i < ranked.Count && Settings.QuotedBeside(ranked[i].Score, ranked[0].Score); i++)
        {
            if (features[ranked[i].Candidate][Feature.CurrencyMatch] != 1) continue;
            var promoted = ranked[i];
            ranked.RemoveAt(i);
            ranked.Insert(0, promoted);
            return;
        }
    }

    /// <summary>The answer the analysis leads to when answering.</summary>
    internal Answer Compose(string cleaned, Analysis a)
    {
        var ranked = a.Ranked.Select(x => (a.Retrieval.Candidates[x.Candidate].Sentence, x.Score)).ToList();
        // A list of names answers "which forces …" better than the one name the typed candidate gives (the decider was
        // fitted on that one: ShortFound). The quote is cut around the candidate whether or not it makes the headline.
        var shown = _composer.ListAnswer(a.Question, ranked[0].Sentence) is { } list ? new ShortCandidate(list, Near: true) : a.Short;
        var citations = _composer.Choose(ranked).Select((s, i) => _composer.Cite(s, a.Question, i == 0 ? shown?.Text : null)).ToList();
        return new Answer
        {
            Question = cleaned,
            Answered = true,
            Text = AnswerComposer.Render(citations),
            Short = AnswerComposer.Headline(shown, a.Decision),
            Citations = citations,
            Docs = a.Retrieval.Docs,
        };
    }

    private Explanation Explain(Analysis a, RunnerUp best) => new(
        a.Question.Text,
        a.Question.Type.ToString(),
        // An alias group's token reads as its first name ("zzaliasd" → "Palantir").
        a.Question.Terms.Select(t => Index.Analyzer.AliasNames(t) is [var name, ..] ? $"[{name}]" : t).ToList(),
        a.Question.Corrections.Select(c => $"{c.From} → {c.To}").ToList(),
        a.Ranked.Skip(1).Take(3).Select(x => Weighed(a, x)).ToList(),
        Threshold) { Best = best, Gate = a.Gate };

    /// <summary>A ranked sentence as the explanation shows it: quoted as a runner-up would be, with its score.</summary>
    private RunnerUp Weighed(Analysis a, (int Candidate, double Score) x)
    {
        var c = _composer.Cite(a.Retrieval.Candidates[x.Candidate].Sentence);
        return new RunnerUp(c.DocId, c.Quote, Math.Round(x.Score, 4));
    }

    private static Answer Decline(string question, IReadOnlyList<RankedDoc> docs, string? closest, Stopwatch clock) => new()
    {
        Question = question,
        Answered = false,
        Text = DeclineText,
        Docs = docs,
        ClosestDocId = closest,
        Milliseconds = Ms(clock),
    };

    private static double Ms(Stopwatch clock) => clock.Elapsed.TotalMilliseconds;

    /// <summary>Control characters become spaces; runs of space fold; overly long input is cut.</summary>
    internal static string Clean(string? question)
    {
        if (string.IsNullOrWhiteSpace(question)) return "";
        var sb = new StringBuilder(Math.Min(question.Length, QuestionReader.MaxQuestionChars));
        var space = false;
        foreach (var c in question)
        {
            if (sb.Length >= QuestionReader.MaxQuestionChars) break;
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200b' or '\u200c' or '\u200d' or '\u200e' or '\u200f' or '\u2060' or '\ufeff')
            {
                if (!space && sb.Length > 0) sb.Append(' ');
                space = true;
                continue;
            }
            sb.Append(c);
            space = false;
        }
        return sb.ToString().Trim();
    }
}
