using System.Diagnostics;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;

namespace CaseBot.Core.Tests;

/// <summary>
/// Corpus edge cases (issue 11 item 11) and corpus faults on reindex ("Prove it"): the reindex names the cause, one bad
/// file never takes the others down, and when nothing usable can be built the old index keeps answering.
/// </summary>
public class CorpusFaultTests
{
    private const string Question = "Why did City Hall say it blocked the deal?";

    [Fact]
    public void A_newcomer_repeating_an_existing_id_is_refused_even_when_its_name_sorts_first()
    {
        var dir = TestPaths.CopyOfCorpus();
        var store = new IndexStore(TestPaths.NewScratch());
        store.Rebuild(dir);
        var existing = Path.GetFileName(Directory.GetFiles(dir, "004_*.txt").Single());
        File.WriteAllText(Path.Combine(dir, "004.txt"), "An impostor article that would replace document 004."); // '.' sorts before '_'

        var (_, problems) = store.Rebuild(dir);

        using var index = SearchIndex.Open(store.CurrentFolder!);
        Assert.Equal(existing, index.Documents[index.DocumentNumber("004")!.Value].FileName);
        var problem = Assert.Single(problems);
        Assert.StartsWith("004.txt", problem);
        Assert.Contains(existing, problem);
    }

    [Fact]
    public void Without_a_live_index_the_file_changed_longest_ago_keeps_the_id()
    {
        var dir = TestPaths.NewScratch();
        File.WriteAllText(Path.Combine(dir, "007_original.txt"), "The original article.");
        File.SetLastWriteTimeUtc(Path.Combine(dir, "007_original.txt"), DateTime.UtcNow.AddDays(-3));
        File.WriteAllText(Path.Combine(dir, "007.md"), "A newer copy.");

        var corpus = CorpusLoader.Load(dir);

        Assert.Equal("007_original.txt", Assert.Single(corpus.Documents).FileName);
        Assert.Contains(corpus.Problems, p => p.StartsWith("007.md") && p.Contains("007_original.txt"));
    }

    [Fact]
    public void Utf16_without_a_byte_order_mark_is_refused_like_other_non_utf8_files()
    {
        var dir = TestPaths.NewScratch();
        File.WriteAllText(Path.Combine(dir, "001_good.txt"), "The Met signed a deal.");
        File.WriteAllBytes(Path.Combine(dir, "002_utf16le.txt"), System.Text.Encoding.Unicode.GetBytes("The Met in UTF-16 little endian."));
        File.WriteAllBytes(Path.Combine(dir, "003_utf16be.txt"), System.Text.Encoding.BigEndianUnicode.GetBytes("The Met in UTF-16 big endian."));

        var corpus = CorpusLoader.Load(dir);

        Assert.Equal(["001"], corpus.Documents.Select(d => d.Id));
        Assert.Contains(corpus.Problems, p => p.StartsWith("002_utf16le.txt") && p.Contains("not valid UTF-8"));
        Assert.Contains(corpus.Problems, p => p.StartsWith("003_utf16be.txt") && p.Contains("not valid UTF-8"));
    }

    [Fact]
    public async Task Reindex_with_invalid_empty_huge_and_vanishing_files_indexes_the_rest_and_names_each()
    {
        var corpus = TestPaths.CopyOfCorpus();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = TestPaths.NewScratch() });
        File.WriteAllBytes(Path.Combine(corpus, "010_latin1.txt"), [0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF]);
        File.WriteAllText(Path.Combine(corpus, "011_empty.txt"), "");
        using (var huge = File.Create(Path.Combine(corpus, "012_huge.txt"))) huge.SetLength(50L * 1024 * 1024);
        // Listed, then gone when read: a file removed while the reindex runs.
        File.CreateSymbolicLink(Path.Combine(corpus, "013_removed.txt"), Path.Combine(corpus, "no-such-target.txt"));

        var clock = Stopwatch.StartNew();
        var result = await bot.ReindexAsync("mod");

        Assert.True(result.Succeeded, result.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"reindex took {clock.Elapsed}");
        Assert.Equal(5, result.Documents);
        Assert.Contains("010_latin1.txt: not valid UTF-8", result.Message);
        Assert.Contains("011_empty.txt: empty", result.Message);
        Assert.Contains("012_huge.txt: 50 MB is over the 16 MB limit", result.Message);
        Assert.Contains("013_removed.txt: removed while the corpus was being read", result.Message);
        Assert.Equal(4, bot.Status.Skipped.Count);
        Assert.True(bot.Ask(Question).Answered);
    }

    [Fact]
    public async Task A_corpus_folder_removed_before_a_reindex_keeps_the_old_index_answering_and_says_so()
    {
        var corpus = TestPaths.CopyOfCorpus();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = TestPaths.NewScratch() });
        Directory.Delete(corpus, recursive: true);

        var result = await bot.ReindexAsync("mod");

        Assert.False(result.Succeeded);
        Assert.Contains("previous index keeps answering", result.Message);
        Assert.Contains($"Corpus folder '{corpus}' does not exist", result.Message);
        Assert.True(bot.Ask(Question).Answered);
    }

    [Fact]
    public async Task An_unwritable_index_folder_fails_the_reindex_with_its_cause_and_the_old_index_keeps_answering()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var index = TestPaths.NewScratch();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        File.WriteAllText(Path.Combine(corpus, "005_new.txt"), "A new article about the Met.");
        using (Unwritable.Make(index))
        {
            var result = await bot.ReindexAsync("mod");

            Assert.False(result.Succeeded);
            Assert.Contains("previous index keeps answering", result.Message);
            Assert.Contains($"'{index}'", result.Message);
            Assert.Contains("writable", result.Message);
            Assert.Contains("CaseBot__IndexPath", result.Message);
            Assert.True(bot.Ask(Question).Answered);
            Assert.Equal(5, bot.Documents.Count);
        }
    }

    [Fact]
    public void Opening_with_an_unwritable_index_folder_and_no_index_is_an_index_folder_error()
    {
        var index = TestPaths.NewScratch();
        using (Unwritable.Make(index))
        {
            var e = Assert.Throws<IndexFolderException>(() =>
                CaseBotService.Open(new CaseBotOptions { CorpusPath = TestPaths.Corpus, IndexPath = index }));
            Assert.Contains($"'{index}'", e.Message);
            Assert.Contains("writable", e.Message);
        }
    }
}

/// <summary>Skipped corpus files are logged at warning, one line each naming the file (issue 11 item 11).</summary>
public class SkippedFileLoggingTests
{
    [Fact]
    public async Task Each_skipped_file_is_logged_at_warning_naming_it()
    {
        var corpus = TestPaths.CopyOfCorpus();
        var log = new ListLogger();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = TestPaths.NewScratch() }, logger: log);
        File.WriteAllBytes(Path.Combine(corpus, "010_utf16.txt"), System.Text.Encoding.Unicode.GetBytes("UTF-16 text"));
        File.WriteAllText(Path.Combine(corpus, "011_empty.txt"), "");

        Assert.True((await bot.ReindexAsync("mod")).Succeeded);

        Assert.Contains(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.Contains("010_utf16.txt"));
        Assert.Contains(log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.Contains("011_empty.txt"));
        Assert.Equal(2, bot.Status.Skipped.Count);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Text)> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
