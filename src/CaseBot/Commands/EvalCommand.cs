using System.CommandLine;
using CaseBot.Core.Answering;
using CaseBot.Core.Evaluation;

namespace CaseBot.Cli.Commands;

/// <summary><c>casebot eval</c>: answer every question of a gold file, write a run file, print score.py's metrics.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var questions = new Option<string>("--questions") { Description = "Gold questions (JSONL, score.py format)", Required = true };
        var output = new Option<string>("--out") { Description = "Run file to write (JSONL)", Required = true };
        var set = new Option<string[]>("--set") { Description = "Engine setting override name=value (tuning runs)", AllowMultipleArgumentsPerToken = true };
        var byType = new Option<bool>("--by-type") { Description = "Also print the figures per asked-for type of question" };
        var command = new Command("eval", "Answer a gold question file and score the run.") { corpus, index, questions, output, set, byType };
        command.SetAction(parse =>
        {
            List<GoldQuestion> gold;
            EngineSettings settings;
            try
            {
                gold = GoldQuestion.Load(parse.GetValue(questions)!);
                settings = EngineSettings.Default.With(parse.GetValue(set) ?? []);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            var options = CommonOptions.Resolve(parse.GetValue(corpus)!, parse.GetValue(index));
            using var bot = CommonOptions.Open(options, settings);
            if (bot is null) return 2;
            var outPath = parse.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            var run = new Dictionary<string, RunLine>();
            using (var writer = new StreamWriter(outPath))
            {
                foreach (var q in gold)
                {
                    var line = RunLine.From(q.Id, bot.Ask(q.Question));
                    run[q.Id] = line;
                    writer.WriteLine(line.ToJson());
                }
            }
            Console.WriteLine(Scorer.Format(Scorer.Score(gold, run, Scorer.CorpusTexts(options.CorpusPath))));
            if (parse.GetValue(byType)) Console.WriteLine(Scorer.ByType(gold, run));
            return 0;
        });
        return command;
    }
}
