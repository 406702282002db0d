using System.CommandLine;
using System.Diagnostics;
using CaseBot.Core;
using CaseBot.Core.Answering;
using CaseBot.Core.Corpus;
using CaseBot.Core.Evaluation;
using CaseBot.Core.Indexing;
using CaseBot.Core.Indexing.Embeddings;

namespace CaseBot.Cli.Commands;

/// <summary>
/// <c>casebot bench</c>: index build time (cold, then warm), and the full answer path on one thread after warm-up:
/// questions per second, p50/p99 latency, bytes allocated per question. Figures only; nothing here asserts.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var questions = new Option<string>("--questions") { Description = "Questions to time (JSONL)", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Timed passes over the questions", DefaultValueFactory = _ => 3 };
        var set = new Option<string[]>("--set") { Description = "Engine setting override name=value", AllowMultipleArgumentsPerToken = true };
        var against = new Option<string[]>("--against")
        {
            Description = "Also time an engine with these settings (name=value), question by question in turn with the first, so the machine's noise falls on both",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("bench", "Measure index build time and answer latency.") { corpus, index, questions, rounds, set, against };
        command.SetAction(parse =>
        {
            var corpusPath = parse.GetValue(corpus)!;
            List<GoldQuestion> gold;
            EngineSettings settings;
            EngineSettings? other = null;
            try
            {
                gold = GoldQuestion.Load(parse.GetValue(questions)!);
                // Both checked before the minutes of index building, so a misspelt name fails at once.
                settings = EngineSettings.Default.With(parse.GetValue(set) ?? []);
                if (parse.GetValue(against) is { Length: > 0 } assignments) other = settings.With(assignments);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            var scratch = Path.Combine(Path.GetTempPath(), "casebot-bench-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                // Cold: an empty index folder, every sentence encoded. Reindex: the same folder again, so the previous
                // build's sentence vectors are reused for every unchanged sentence.
                var cold = TimeBuild(corpusPath, Path.Combine(scratch, "store"));
                var again = TimeBuild(corpusPath, Path.Combine(scratch, "store"));
                Console.WriteLine($"index build   cold {cold.Seconds:F3} s ({cold.Encoded} sentences encoded)   reindex unchanged {again.Seconds:F3} s ({again.Encoded} encoded)   ({cold.Documents} documents, {cold.Passages} passages)");

                var options = CommonOptions.Resolve(corpusPath, parse.GetValue(index));
                using var bot = CaseBotService.Open(options, settings);
                var texts = gold.Select(q => q.Question).ToArray();
                foreach (var q in texts.Take(Math.Min(texts.Length, 500))) bot.Ask(q); // JIT and caches
                GC.Collect();
                var latencies = new List<double>(texts.Length * parse.GetValue(rounds));
                // All threads, not just this one: the question's vector is encoded on another thread.
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var total = Stopwatch.StartNew();
                for (var r = 0; r < parse.GetValue(rounds); r++)
                {
                    foreach (var q in texts)
                    {
                        var t = Stopwatch.GetTimestamp();
                        bot.Ask(q);
                        latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                }
                total.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                latencies.Sort();
                Console.WriteLine($"answer path   {latencies.Count} questions on one thread: {latencies.Count / total.Elapsed.TotalSeconds:F0} q/s   " +
                                  $"p50 {Percentile(latencies, 50):F3} ms   p99 {Percentile(latencies, 99):F3} ms   max {latencies[^1]:F3} ms");
                Console.WriteLine($"allocation    {allocated / latencies.Count:N0} bytes per question");
                if (other is not null)
                    CompareInTurn(bot.Engine, new AnswerEngine(bot.Engine.Index, other, bot.Engine.Model), string.Join(' ', parse.GetValue(against)!), texts, parse.GetValue(rounds));
                // The part of the answer path no lexical work can shorten: MiniLM reading the question alone, with the
                // encoder the engine uses and with the other one.
                var int8 = bot.Engine.Settings.Int8Questions;
                foreach (var (name, encoder) in new[] { (int8 ? "int8 (the engine's)" : "float (the engine's)", SentenceEmbedder.ForQuestions(int8)), (int8 ? "float" : "int8", SentenceEmbedder.ForQuestions(!int8)) })
                {
                    var encoding = new List<double>(texts.Length);
                    foreach (var q in texts.Take(200)) encoder.Encode(q); // warm-up
                    foreach (var q in texts)
                    {
                        var t = Stopwatch.GetTimestamp();
                        encoder.Encode(q);
                        encoding.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                    encoding.Sort();
                    Console.WriteLine($"question vector   MiniLM {name} alone on the same questions: p50 {Percentile(encoding, 50):F3} ms   p99 {Percentile(encoding, 99):F3} ms");
                }
                Console.WriteLine($"memory        working set {Environment.WorkingSet / (1024 * 1024)} MiB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
                return 0;
            }
            catch (CorpusException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            finally
            {
                try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }

    /// <summary>
    /// Two engines on the same index timed question by question, each going first on every other question: a busy
    /// spell of the shared machine lands on both, so their difference means more than two separate runs' (whose p50
    /// moved by 0.5 ms from run to run here).
    /// </summary>
    private static void CompareInTurn(AnswerEngine first, AnswerEngine second, string label, string[] texts, int rounds)
    {
        foreach (var q in texts.Take(Math.Min(texts.Length, 500))) second.Ask(q); // JIT, the second encoder's load
        var a = new List<double>(texts.Length * rounds);
        var b = new List<double>(texts.Length * rounds);
        var differences = new List<double>(texts.Length * rounds);
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                double x, y;
                if (i % 2 == 0) { x = Time(first, texts[i]); y = Time(second, texts[i]); }
                else { y = Time(second, texts[i]); x = Time(first, texts[i]); }
                a.Add(x);
                b.Add(y);
                differences.Add(y - x);
            }
        }
        a.Sort();
        b.Sort();
        differences.Sort();
        Console.WriteLine($"in turn       as set: p50 {Percentile(a, 50):F3} ms   p99 {Percentile(a, 99):F3} ms   |   with {label}: p50 {Percentile(b, 50):F3} ms   p99 {Percentile(b, 99):F3} ms   |   " +
                          $"per-question difference p50 {Percentile(differences, 50):+0.000;-0.000} ms");

        static double Time(AnswerEngine engine, string question)
        {
            var t = Stopwatch.GetTimestamp();
            engine.Ask(question);
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
    }

    /// <summary>The nearest-rank percentile of sorted milliseconds.</summary>
    internal static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * p / 100) - 1, 0, sorted.Count - 1)];

    private static (double Seconds, int Documents, int Passages, long Encoded) TimeBuild(string corpusPath, string folder)
    {
        var encoded = Core.Indexing.Embeddings.SentenceEmbedder.Instance.Encoded;
        var clock = Stopwatch.StartNew();
        var (manifest, _) = new IndexStore(folder).Rebuild(corpusPath);
        return (clock.Elapsed.TotalSeconds, manifest.Documents, manifest.Passages, Core.Indexing.Embeddings.SentenceEmbedder.Instance.Encoded - encoded);
    }
}
