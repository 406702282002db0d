using System.CommandLine;
using System.Text.Json;
using CaseBot.Core.Answering;
using CaseBot.Core.Evaluation;
using CaseBot.Core.Hosting;

namespace CaseBot.Cli.Commands;

/// <summary><c>casebot ask "QUESTION" [--json]</c>: the answer as chat shows it.</summary>
internal static class AskCommand
{
    public static Command Create(BotProfileOptions profile)
    {
        var question = new Argument<string[]>("question") { Description = "The question (quote it, or give it as several words; - reads it from standard input)", Arity = ArgumentArity.ZeroOrMore };
        // The question takes any words, so an option ask lacks ("--set", a typo of "--json") would be read as part of it.
        question.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(t => t.Value.Length > 2 && t.Value.StartsWith("--", StringComparison.Ordinal) && !t.Value.Contains(' ')) is { } unknown)
                result.AddError($"'{unknown.Value}' is not an option of ask (casebot ask --help lists them).");
        });
        var json = new Option<bool>("--json") { Description = "Print the answer as one JSON run line" };
        var explain = new Option<bool>("--explain") { Description = "Also print how the question was read: type, terms, spelling corrections, confidence, runners-up" };
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var command = new Command("ask", "Answer one question from the case documents, citing them.") { question, json, explain, corpus, index };
        command.SetAction(parse =>
        {
            var text = string.Join(' ', parse.GetValue(question) ?? []);
            // `casebot ask -` reads the question from standard input (a pipe, a file, a here-document).
            if (text == "-") text = ReadQuestion(Console.In);
            if (string.IsNullOrWhiteSpace(text))
            {
                Console.Error.WriteLine("usage: casebot ask \"QUESTION\" [--json]   (or: casebot ask - < question.txt)\n" + profile.UsageText);
                return 2;
            }
            using var bot = CommonOptions.Open(CommonOptions.Resolve(parse.GetValue(corpus)!, parse.GetValue(index)));
            if (bot is null) return 2;
            var answer = bot.Ask(text);
            Console.WriteLine(parse.GetValue(json) ? RunLine.From("ask", answer).ToJson() : Render(answer, bot));
            if (parse.GetValue(explain)) Console.WriteLine(Explain(answer));
            return 0;
        });
        return command;
    }

    /// <summary>The chat rendering in plain text: the quoted lines, then the cited documents' titles.</summary>
    internal static string Render(Answer answer, Core.ICaseBot bot)
    {
        if (!answer.Answered)
        {
            var closest = answer.ClosestDocId is { } id && bot.FindDocument(id) is { } doc ? $"\nClosest document: [{doc.Id}] {doc.Title}" : "";
            return answer.Text + closest;
        }
        var sources = answer.Citations.DistinctBy(c => c.DocId).Select(c => $"  [{c.DocId}] {c.Title}");
        var shortLine = answer.Short is { Length: > 0 } s ? $"\nIn short: {s}" : "";
        return $"{answer.Text}{shortLine}\nSources:\n{string.Join("\n", sources)}";
    }

    /// <summary>Why the engine answered or declined, for a moderator checking a doubtful answer.</summary>
    internal static string Explain(Answer answer)
    {
        if (answer.Explanation is not { } e) return "explain: the question shares no word with the documents";
        var lines = new List<string>
        {
            $"read as:     {e.ReadAs}",
            $"asks for:    {e.AnswerType}",
            $"terms:       {string.Join(' ', e.Terms)}",
            $"corrections: {(e.Corrections.Count == 0 ? "none" : string.Join(", ", e.Corrections))}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"confidence:  {answer.Confidence:F3} (answers at {e.Threshold:F3} or more)"),
        };
        if (e.Gate is { } gate) lines.Add($"declined:    {gate}");
        if (e.Best is { } best) lines.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"best:        [{best.DocId}] {best.Score:F3} {best.Quote}"));
        lines.AddRange(e.RunnersUp.Select((r, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"runner-up {i + 1}: [{r.DocId}] {r.Score:F3} {r.Quote}")));
        return string.Join('\n', lines);
    }

    /// <summary>The question from standard input: every line joined by spaces, at most 100,000 characters read.</summary>
    internal static string ReadQuestion(TextReader input)
    {
        var buffer = new char[100_000];
        var read = input.ReadBlock(buffer, 0, buffer.Length);
        return string.Join(' ', new string(buffer, 0, read).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
