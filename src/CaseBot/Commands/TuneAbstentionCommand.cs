using System.CommandLine;
using CaseBot.Core.Answering;
using CaseBot.Core.Evaluation;

namespace CaseBot.Cli.Commands;

/// <summary>
/// <c>casebot tune-abstention</c>: refits the abstention model on a gold file (the SQuAD 2.0 dev questions) and prints
/// the weights to paste into <c>AbstentionModel.Default</c>, with train and article-held-out accuracy.
/// </summary>
internal static class TuneAbstentionCommand
{
    public static Command Create()
    {
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var questions = new Option<string>("--questions") { Description = "Gold questions (JSONL) with answerable and unanswerable ones", Required = true };
        var command = new Command("tune-abstention", "Fit the answer-or-decline model on a gold question file and print it.") { corpus, index, questions };
        command.SetAction(parse =>
        {
            var gold = GoldQuestion.Load(parse.GetValue(questions)!);
            using var bot = CommonOptions.Open(CommonOptions.Resolve(parse.GetValue(corpus)!, parse.GetValue(index)));
            if (bot is null) return 2;
            var report = AbstentionTrainer.Train(bot.Engine, gold);
            Console.WriteLine($"examples {report.Examples}, accuracy on training {report.TrainAccuracy:F3}, article-held-out {report.CrossValidatedAccuracy:F3} (logistic part alone {report.LogisticCrossValidatedAccuracy:F3}); article-held-out at the shipped threshold {AbstentionModel.Default.Threshold}: {report.CrossValidatedAtDefaultThreshold:F3}");
            Console.WriteLine("AbstentionModel.Default = " + AbstentionTrainer.ToCSharp(report.Model));
            return 0;
        });
        return command;
    }
}
