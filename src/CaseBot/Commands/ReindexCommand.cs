using System.CommandLine;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Cli.Commands;

/// <summary><c>casebot reindex</c>: rebuild aside, check, swap; the previous index answers until the swap.</summary>
internal static class ReindexCommand
{
    public static Command Create()
    {
        var corpus = CommonOptions.Corpus();
        var index = CommonOptions.Index();
        var command = new Command("reindex", "Rebuild the index from the corpus folder (atomically: a failed build keeps the old index).") { corpus, index };
        command.SetAction(parse =>
        {
            var options = CommonOptions.Resolve(parse.GetValue(corpus)!, parse.GetValue(index));
            try
            {
                var (manifest, problems) = new IndexStore(options.IndexPath).Rebuild(options.CorpusPath, CommonOptions.ConsoleProgress());
                foreach (var problem in problems) Console.Error.WriteLine($"warning: {problem}");
                Console.WriteLine($"Indexed {manifest.Documents} documents, {manifest.Passages} passages in {manifest.BuildSeconds:F2} s " +
                                  $"(corpus {manifest.CorpusFingerprint}) into {options.IndexPath}");
                return 0;
            }
            catch (Exception e) when (e is CorpusException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
