using System.CommandLine;
using CaseBot.Core;
using CaseBot.Core.Corpus;

namespace CaseBot.Cli.Commands;

/// <summary>The options several commands share, with defaults from the same environment variables as <c>serve</c>.</summary>
internal static class CommonOptions
{
    public static Option<string> Corpus() => new("--corpus")
    {
        Description = "Folder of case documents (*.txt, *.md). Default: $CaseBot__CorpusPath or ./corpus",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CaseBot__CorpusPath") ?? "corpus",
    };

    public static Option<string?> Index() => new("--index")
    {
        Description = "Index folder. Default: $CaseBot__IndexPath or ./index (another corpus than the default gets its own sub-folder)",
    };

    /// <summary>
    /// The index folder for a corpus: the one given, else the default, else (for another corpus, such as the SQuAD
    /// yardstick) a folder of its own under the default, so evaluating never replaces the case index.
    /// </summary>
    public static CaseBotOptions Resolve(string corpus, string? index)
    {
        var defaultIndex = Environment.GetEnvironmentVariable("CaseBot__IndexPath") ?? "index";
        var defaultCorpus = Environment.GetEnvironmentVariable("CaseBot__CorpusPath") ?? "corpus";
        if (index is null)
        {
            index = Path.GetFullPath(corpus) == Path.GetFullPath(defaultCorpus)
                ? defaultIndex
                : Path.Combine(defaultIndex, "other-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(corpus))))[..10]);
        }
        return new CaseBotOptions { CorpusPath = corpus, IndexPath = index };
    }

    /// <summary>Progress on stderr for a large corpus; nothing for a handful of files.</summary>
    public static IProgress<(int Done, int Total)> ConsoleProgress() => new Progress(Console.IsErrorRedirected);

    private sealed class Progress(bool redirected) : IProgress<(int Done, int Total)>
    {
        private int _lastPercent = -1;

        public void Report((int Done, int Total) value)
        {
            if (value.Total < 50) return;
            var percent = value.Done * 100 / value.Total;
            if (percent == _lastPercent || (redirected && percent % 25 != 0)) return;
            _lastPercent = percent;
            Console.Error.Write(redirected ? $"indexing: {value.Done}/{value.Total}\n" : $"\rindexing: {value.Done}/{value.Total} documents ({percent}%)");
            if (!redirected && value.Done == value.Total) Console.Error.WriteLine();
        }
    }

    /// <summary>Opens the engine, turning corpus and index-folder problems into one clear line and exit code 2.</summary>
    public static CaseBotService? Open(CaseBotOptions options, Core.Answering.EngineSettings? settings = null)
    {
        try
        {
            return CaseBotService.Open(options, settings, progress: ConsoleProgress());
        }
        catch (Exception e) when (e is CorpusException or Core.Indexing.IndexFolderException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}
