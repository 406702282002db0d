using System.Diagnostics;
using CaseBot.Core.Corpus;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using L = CaseBot.Core.Indexing.IndexLayout;

namespace CaseBot.Core.Indexing;

/// <summary>Writes one Lucene index for a loaded corpus: a document entry per file and an entry per sentence.</summary>
public static class IndexBuilder
{
    public static IndexManifest Build(LoadedCorpus corpus, Aliases aliases, string folder, string corpusPath,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        System.IO.Directory.CreateDirectory(folder);
        var passages = 0;
        var sentenceTexts = new List<string>();
        using (var directory = FSDirectory.Open(folder))
        using (var analyzer = new CaseAnalyzer(aliases))
        using (var whitespace = new Lucene.Net.Analysis.Core.WhitespaceAnalyzer(CaseAnalyzer.Version))
        {
            // Text is analysed once, here, per sentence; Lucene receives the terms joined by spaces. A document's terms
            // are its sentences' terms, so whole-document and sentence fields agree exactly.
            var config = new IndexWriterConfig(CaseAnalyzer.Version, whitespace)
            {
                OpenMode = OpenMode.CREATE,
                Similarity = Ranking.Similarity,
                RAMBufferSizeMB = 64,
            };
            using var writer = new IndexWriter(directory, config);
            var done = 0;
            var docNumber = 0;
            foreach (var doc in corpus.Documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var docTerms = new List<string>();
                var docBigrams = new List<string>();
                foreach (var span in SentenceSplitter.Split(doc.Text))
                {
                    var sentenceText = doc.Text.Substring(span.Start, span.Length);
                    sentenceTexts.Add(sentenceText);
                    var terms = analyzer.Terms(sentenceText);
                    var bigrams = L.Bigrams(terms).ToList();
                    docTerms.AddRange(terms);
                    docBigrams.AddRange(bigrams);
                    // Sentences carry no stored fields: their spans load from doc values in milliseconds.
                    writer.AddDocument(new Document
                    {
                        new NumericDocValuesField(L.KindNumber, 1),
                        new NumericDocValuesField(L.DocNumber, docNumber),
                        new NumericDocValuesField(L.Start, span.Start),
                        new NumericDocValuesField(L.Length, span.Length),
                        new NumericDocValuesField(L.Heading, span.IsHeading ? 1 : 0),
                        new TextField(L.SentenceText, string.Join(' ', terms), Field.Store.NO),
                        new TextField(L.SentenceBigrams, string.Join(' ', bigrams), Field.Store.NO),
                    });
                    passages++;
                }
                writer.AddDocument(new Document
                {
                    new NumericDocValuesField(L.KindNumber, 0),
                    new NumericDocValuesField(L.DocNumber, docNumber),
                    new StoredField(L.DocId, doc.Id),
                    new StoredField(L.Title, doc.Title),
                    new StoredField(L.FileName, doc.FileName),
                    new StoredField(L.Body, doc.Text),
                    new TextField(L.DocumentText, string.Join(' ', docTerms), Field.Store.NO),
                    new TextField(L.DocumentBigrams, string.Join(' ', docBigrams), Field.Store.NO),
                });
                docNumber++;
                progress?.Report((++done, corpus.Documents.Count));
            }
            writer.Commit();
        }
        // Sentence vectors for the semantic features, reusing the previous build's for unchanged sentences.
        Embeddings.EmbeddingFile.Build(folder, sentenceTexts, cancellationToken);
        // Questions must be analyzed with the aliases the index was built with, so they travel with it.
        var aliasesFile = Path.Combine(corpusPath, Aliases.FileName);
        if (File.Exists(aliasesFile)) File.Copy(aliasesFile, Path.Combine(folder, Aliases.FileName), overwrite: true);
        var manifest = new IndexManifest(IndexManifest.CurrentFormat, corpus.Fingerprint, corpus.Documents.Count, passages,
            DateTimeOffset.UtcNow, Path.GetFullPath(corpusPath), clock.Elapsed.TotalSeconds);
        manifest.Save(folder);
        return manifest;
    }
}
