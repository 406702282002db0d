using CaseBot.Core.Corpus;

namespace CaseBot.Core.Tests;

public class CorpusLoaderTests
{
    [Theory]
    [InlineData("004_1ce9ed520911b989.txt", "004")]
    [InlineData("s0001.txt", "s0001")]
    [InlineData("notes.md", "notes")]
    [InlineData("a_b_c.txt", "a")]
    public void Id_is_the_file_name_up_to_the_first_underscore(string file, string id) =>
        Assert.Equal(id, DocumentNaming.IdFromFileName(file));

    [Fact]
    public void Title_is_the_headline_line_when_there_is_one()
    {
        Assert.Equal("London mayor threatens to block police AI contract",
            DocumentNaming.Title("London mayor threatens to block police AI contract\nIn a move that appears to privilege principle."));
        Assert.Equal("Normans", DocumentNaming.Title("Normans\nThe Normans were the people who gave their name to Normandy."));
    }

    [Fact]
    public void Title_is_the_shortened_first_sentence_when_the_first_line_is_prose()
    {
        var title = DocumentNaming.Title("London Mayor Sadiq Khan blocked a proposed £50 million contract between the Metropolitan Police and AI company Palantir Technologies on Saturday. More text.");
        Assert.StartsWith("London Mayor Sadiq Khan blocked", title);
        Assert.EndsWith("…", title);
        Assert.True(title.Length <= 91);
    }

    [Fact]
    public void Loads_the_five_case_documents_with_footnotes_removed()
    {
        var corpus = CorpusLoader.Load(TestPaths.Corpus);
        Assert.Equal(["000", "001", "002", "003", "004"], corpus.Documents.Select(d => d.Id));
        Assert.Empty(corpus.Problems);
        Assert.All(corpus.Documents, d => Assert.DoesNotContain("[1", d.Text));
        Assert.Contains("procurement rules.", corpus.Documents[4].Text);
    }

    [Fact]
    public void Invalid_utf8_empty_and_duplicate_id_files_are_skipped_with_a_message_naming_them()
    {
        var dir = TestPaths.NewScratch();
        File.WriteAllText(Path.Combine(dir, "001_good.txt"), "The Met signed a deal.");
        File.WriteAllBytes(Path.Combine(dir, "002_latin1.txt"), [0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0x2E]);
        File.WriteAllText(Path.Combine(dir, "003_empty.txt"), "  \n ");
        File.WriteAllText(Path.Combine(dir, "001_zagain.md"), "Another text with the same id.");
        File.WriteAllText(Path.Combine(dir, "ignored.json"), "{}");

        var corpus = CorpusLoader.Load(dir);

        Assert.Equal(["001"], corpus.Documents.Select(d => d.Id));
        Assert.Contains(corpus.Problems, p => p.StartsWith("002_latin1.txt") && p.Contains("UTF-8"));
        Assert.Contains(corpus.Problems, p => p.StartsWith("003_empty.txt") && p.Contains("empty"));
        Assert.Contains(corpus.Problems, p => p.StartsWith("001_zagain.md") && p.Contains("'001'"));
    }

    [Fact]
    public void Missing_folder_is_a_clear_error()
    {
        var e = Assert.Throws<CorpusException>(() => CorpusLoader.Load("/no/such/corpus"));
        Assert.Contains("/no/such/corpus", e.Message);
    }

    [Fact]
    public void Fingerprint_changes_when_a_document_changes()
    {
        var dir = TestPaths.CopyOfCorpus();
        var before = CorpusLoader.Fingerprint(dir);
        File.AppendAllText(Path.Combine(dir, "000_df302f0fa40218e7.txt"), "\nA new paragraph.");
        Assert.NotEqual(before, CorpusLoader.Fingerprint(dir));
    }
}
