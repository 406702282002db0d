using CaseBot.Core.Answering;

namespace CaseBot.Core.Tests;

public class CaseBotServiceTests
{
    [Fact]
    public async Task Reindex_during_questions_keeps_answering_and_swaps_to_the_new_corpus()
    {
        var corpus = TestPaths.CopyOfCorpus();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = TestPaths.NewScratch() });
        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), "Zebra crossings outside City Hall were repainted in purple by the council in June.");

        using var stop = new CancellationTokenSource();
        var errors = 0;
        var asked = 0;
        // Askers on threads of their own, like the host's concurrent users, not two pool threads spinning for the whole test.
        var askers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (!bot.Ask("Why did City Hall say it blocked the deal?").Answered) Interlocked.Increment(ref errors);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
                Interlocked.Increment(ref asked);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var result = await bot.ReindexAsync("test-moderator");
        stop.Cancel();
        await Task.WhenAll(askers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(6, result.Documents);
        Assert.Equal("test-moderator", result.RequestedBy);
        Assert.True(asked > 0);
        Assert.Equal(0, errors);
        var zebra = bot.Ask("What colour were the zebra crossings repainted?");
        Assert.True(zebra.Answered);
        Assert.Equal("005", zebra.Citations[0].DocId);
    }

    [Fact]
    public async Task Failed_reindex_says_why_and_the_old_index_keeps_answering()
    {
        var corpus = TestPaths.CopyOfCorpus();
        using var bot = CaseBotService.Open(new CaseBotOptions { CorpusPath = corpus, IndexPath = TestPaths.NewScratch() });
        foreach (var f in Directory.GetFiles(corpus, "*.txt")) File.WriteAllText(f, "");

        var result = await bot.ReindexAsync("mod");

        Assert.False(result.Succeeded);
        Assert.Contains("previous index", result.Message);
        Assert.True(bot.Ask("Why did City Hall say it blocked the deal?").Answered);
        Assert.Equal(5, bot.Documents.Count);
    }

    [Fact]
    public void Opening_with_neither_index_nor_corpus_is_a_clear_error()
    {
        var e = Assert.Throws<Corpus.CorpusException>(() =>
            CaseBotService.Open(new CaseBotOptions { CorpusPath = "/no/such/folder", IndexPath = TestPaths.NewScratch() }));
        Assert.Contains("/no/such/folder", e.Message);
    }

    [Fact]
    public void Decline_text_is_plain_and_names_no_document()
    {
        Assert.DoesNotContain("[", AnswerEngine.DeclineText);
    }
}
